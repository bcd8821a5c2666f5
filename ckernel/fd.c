// fd.c: see fd.h. Pipes (pipe2) let the in-kernel test runner read the
// testing package's output. Semantics follow eventfd(2) and epoll(7) for what the
// runtime uses: an eventfd is a 64-bit counter, write adds and read takes
// the whole count (EAGAIN when zero, since the runtime opens it
// non-blocking); epoll_pwait reports the registered eventfds that are
// readable, sleeping until one is or the timeout passes.
#include "errno.h"
#include "fd.h"
#include "lib.h"
#include "thread.h"
#include "timer.h"
#include "uart.h"

#define MAX_FDS 32
#define MAX_WATCH 4
enum fd_kind { FD_FREE, FD_CONSOLE, FD_EVENTFD, FD_EPOLL, FD_PIPE_R, FD_PIPE_W };
#define MAX_PIPES 4
#define PIPE_SIZE 4096

// struct pipe is a ring buffer between a read end and a write end (pipe(7)):
// reads block while it is empty and a writer remains (then 0: end of file),
// writes block while it is full and a reader remains (then EPIPE).
struct pipe {
	bool used;
	char buf[PIPE_SIZE];
	u64 r, w; // bytes ever read and written; w - r bytes are buffered
	int readers, writers;
};
static struct pipe pipes[MAX_PIPES];
enum { EPOLL_CTL_ADD = 1, EPOLL_CTL_DEL = 2, EPOLL_CTL_MOD = 3, EPOLLIN = 1 };

struct epoll_event {
	u32 events, pad; // arm64's struct is not packed: data at offset 8
	u64 data;
};

struct file {
	enum fd_kind kind;
	struct pipe *pipe;                  // FD_PIPE_R, FD_PIPE_W
	u64 count;                          // FD_EVENTFD: the counter
	int watch[MAX_WATCH];               // FD_EPOLL: watched fds, -1 = none
	struct epoll_event events[MAX_WATCH];
};

static struct file files[MAX_FDS] = {{.kind = FD_CONSOLE}, {.kind = FD_CONSOLE}, {.kind = FD_CONSOLE}};

static struct file *get(int fd, enum fd_kind kind) {
	if (fd < 0 || fd >= MAX_FDS || files[fd].kind != kind)
		return NULL;
	return &files[fd];
}

static int alloc(enum fd_kind kind) {
	for (int fd = 3; fd < MAX_FDS; fd++)
		if (files[fd].kind == FD_FREE) {
			memset(&files[fd], 0, sizeof files[fd]);
			files[fd].kind = kind;
			for (int i = 0; i < MAX_WATCH; i++)
				files[fd].watch[i] = -1;
			return fd;
		}
	return -EMFILE;
}

static long pipe_write(struct pipe *p, const char *buf, u64 len) {
	u64 n = 0;
	while (n < len) {
		if (!p->readers)
			return n ? (long)n : -EPIPE;
		if (p->w - p->r == PIPE_SIZE) {
			if (sleep_on(p, 0, NULL) == -EINTR)
				return n ? (long)n : -EINTR;
			continue;
		}
		p->buf[p->w++ % PIPE_SIZE] = buf[n++];
		wakeup(p, MAX_THREADS);
	}
	return (long)n;
}

static long pipe_read(struct pipe *p, char *buf, u64 len) {
	while (p->w == p->r) {
		if (!p->writers)
			return 0; // end of file
		if (sleep_on(p, 0, NULL) == -EINTR)
			return -EINTR;
	}
	u64 n = 0;
	while (n < len && p->r < p->w)
		buf[n++] = p->buf[p->r++ % PIPE_SIZE];
	wakeup(p, MAX_THREADS);
	return (long)n;
}

long sys_pipe2(u64 fds, int flags) {
	(void)flags; // always blocking: the runtime cannot poll a pipe here
	struct pipe *p = NULL;
	for (int i = 0; i < MAX_PIPES && !p; i++)
		if (!pipes[i].used)
			p = &pipes[i];
	if (!p)
		return -ENFILE;
	int r = alloc(FD_PIPE_R);
	if (r < 0)
		return r;
	int w = alloc(FD_PIPE_W);
	if (w < 0) {
		files[r].kind = FD_FREE;
		return w;
	}
	memset(p, 0, sizeof *p);
	p->used = true;
	p->readers = p->writers = 1;
	files[r].pipe = files[w].pipe = p;
	((i32 *)fds)[0] = r;
	((i32 *)fds)[1] = w;
	return 0;
}

long sys_write(int fd, u64 buf, u64 len) {
	if (fd >= 0 && fd < MAX_FDS && files[fd].kind == FD_PIPE_W)
		return pipe_write(files[fd].pipe, (const char *)buf, len);
	if (fd >= 0 && fd < MAX_FDS && files[fd].kind == FD_CONSOLE) {
		console_write((const char *)buf, len);
		return (long)len;
	}
	struct file *f = get(fd, FD_EVENTFD);
	if (!f)
		return -EBADF;
	if (len < 8)
		return -EINVAL;
	f->count += *(const u64 *)buf;
	wakeup(f, MAX_THREADS); // pollers sleep on the eventfd they watch
	return 8;
}

// console_read returns what the UART has received, at least one byte:
// it polls the PL011 every tick until something arrives (the UART's own
// interrupt belongs to the drivers issue).
static long console_read(u64 buf, u64 len) {
	u64 n = 0;
	while (n == 0) {
		int c;
		while (n < len && (c = uart_getc()) >= 0)
			((char *)buf)[n++] = (char)c;
		if (n == 0 && sleep_on(&files[0], counter_now() + counter_freq() / 100, NULL) == -EINTR)
			return -EINTR;
	}
	return (long)n;
}

long sys_read(int fd, u64 buf, u64 len) {
	if (fd >= 0 && fd < MAX_FDS && files[fd].kind == FD_CONSOLE)
		return len ? console_read(buf, len) : 0;
	if (fd >= 0 && fd < MAX_FDS && files[fd].kind == FD_PIPE_R)
		return pipe_read(files[fd].pipe, (char *)buf, len);
	struct file *f = get(fd, FD_EVENTFD);
	if (!f)
		return -EBADF;
	if (len < 8)
		return -EINVAL;
	if (!f->count)
		return -EAGAIN;
	*(u64 *)buf = f->count;
	f->count = 0;
	return 8;
}

long sys_close(int fd) {
	if (fd < 3 || fd >= MAX_FDS || files[fd].kind == FD_FREE)
		return -EBADF;
	struct pipe *p = files[fd].pipe;
	if (files[fd].kind == FD_PIPE_R)
		p->readers--;
	if (files[fd].kind == FD_PIPE_W)
		p->writers--;
	if (p) {
		wakeup(p, MAX_THREADS); // a blocked peer sees EOF or EPIPE
		if (!p->readers && !p->writers)
			p->used = false;
	}
	files[fd].kind = FD_FREE;
	files[fd].pipe = NULL;
	return 0;
}

long sys_fcntl(int fd, int cmd, u64 arg) {
	(void)arg;
	if (fd < 0 || fd >= MAX_FDS || files[fd].kind == FD_FREE)
		return -EBADF;
	switch (cmd) {
	case 1: // F_GETFD
	case 3: // F_GETFL
		if (files[fd].kind == FD_PIPE_R)
			return 0; // O_RDONLY, blocking
		if (files[fd].kind == FD_PIPE_W)
			return 1; // O_WRONLY, blocking
		return files[fd].kind == FD_CONSOLE ? 2 : 04000; // O_RDWR; eventfds O_NONBLOCK
	case 2: // F_SETFD
	case 4: // F_SETFL
		return 0;
	default:
		return -EINVAL;
	}
}

long sys_eventfd2(u32 initval, int flags) {
	(void)flags; // always non-blocking and close-on-exec here
	int fd = alloc(FD_EVENTFD);
	if (fd >= 0)
		files[fd].count = initval;
	return fd;
}

long sys_epoll_create1(int flags) {
	(void)flags;
	return alloc(FD_EPOLL);
}

long sys_epoll_ctl(int epfd, int op, int fd, u64 event) {
	struct file *ep = get(epfd, FD_EPOLL);
	if (!ep)
		return -EBADF;
	if (!get(fd, FD_EVENTFD))
		return -EPERM; // only eventfds can be polled here
	int slot = -1;
	for (int i = 0; i < MAX_WATCH; i++)
		if (ep->watch[i] == fd || (slot < 0 && ep->watch[i] < 0 && op == EPOLL_CTL_ADD))
			slot = i;
	if (slot < 0)
		return op == EPOLL_CTL_ADD ? -ENOMEM : -ENOENT;
	if (op == EPOLL_CTL_DEL) {
		ep->watch[slot] = -1;
		return 0;
	}
	ep->watch[slot] = fd;
	ep->events[slot] = *(const struct epoll_event *)event;
	return 0;
}

// ready fills out with the watched eventfds that have a count.
static int ready(struct file *ep, struct epoll_event *out, int max) {
	int n = 0;
	for (int i = 0; i < MAX_WATCH && n < max; i++)
		if (ep->watch[i] >= 0 && files[ep->watch[i]].count && (ep->events[i].events & EPOLLIN)) {
			out[n].events = EPOLLIN;
			out[n].data = ep->events[i].data;
			n++;
		}
	return n;
}

long sys_epoll_pwait(int epfd, u64 events, int maxevents, int timeout_ms) {
	struct file *ep = get(epfd, FD_EPOLL);
	if (!ep)
		return -EBADF;
	if (maxevents <= 0)
		return -EINVAL;
	u64 deadline = timeout_ms < 0 ? 0 : counter_now() + ns_to_counter((u64)timeout_ms * 1000000UL);
	for (;;) {
		int n = ready(ep, (struct epoll_event *)events, maxevents);
		if (n || timeout_ms == 0)
			return n;
		// Sleep on the first watched eventfd: writes to it wake us.
		const void *chan = ep;
		for (int i = 0; i < MAX_WATCH; i++)
			if (ep->watch[i] >= 0)
				chan = &files[ep->watch[i]];
		long r = sleep_on(chan, deadline, NULL);
		if (r == -ETIMEDOUT)
			return 0;
		if (r == -EINTR)
			return -EINTR;
	}
}
