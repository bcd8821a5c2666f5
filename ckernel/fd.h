// fd.h: the Go runtime's file descriptors: the console (0-2), eventfds and
// epoll instances, which the runtime's network poller uses to sleep until
// its next timer or a wakeup.
#pragma once
#include "types.h"

long sys_read(int fd, u64 buf, u64 len);
long sys_write(int fd, u64 buf, u64 len);
long sys_close(int fd);
long sys_fcntl(int fd, int cmd, u64 arg);
long sys_eventfd2(u32 initval, int flags);
long sys_pipe2(u64 fds, int flags);
long sys_epoll_create1(int flags);
long sys_epoll_ctl(int epfd, int op, int fd, u64 event);
long sys_epoll_pwait(int epfd, u64 events, int maxevents, int timeout_ms);
