// thread.h: the C core's threads. Each Go runtime thread (an M, created by
// clone) is one of these; the boot context becomes the idle thread. The
// scheduling here is deliberately simple, round-robin with a time slice,
// because policy for user programs belongs to the Go kernel.
#pragma once
#include "cpu.h"
#include "trap.h"
#include "types.h"

struct user_regs;
struct user_trap;

#define MAX_THREADS 64
#define KSTACK_SIZE (16 * 1024) // per-thread exception stack (SP_EL1)
#define CSTACK_SIZE (16 * 1024) // per-thread stack for Go-to-C calls

enum thread_state { T_UNUSED, T_RUNNABLE, T_RUNNING, T_SLEEPING, T_ZOMBIE, T_IDLE };

// struct context is what swtch saves: the AAPCS64 callee-saved registers,
// the frame pointer, the return address and the stack pointer. Everything
// else is either caller-saved or in the thread's trap frame. Layout shared
// with swtch.S.
struct context {
	u64 x19, x20, x21, x22, x23, x24, x25, x26, x27, x28;
	u64 fp, lr, sp;
};

// Locking: a thread's state, chan, deadline and wake_result are guarded by
// the run-queue lock of the CPU in its cpu field (struct runq in cpu.h),
// and cpu changes only with that lock held. Everything else in it belongs
// to the thread itself (only the CPU running it touches it), except the
// signal fields, which the big kernel lock guards (signal.c).
struct thread {
	int tid;
	enum thread_state state;
	int cpu; // the CPU it runs, ran or sleeps on: whose run queue lock guards it
	struct thread *rq_next; // next in its CPU's run queue
	int bkl_depth;          // the BKL nesting it let go of to sleep (sched)
	struct context ctx;
	u64 kstack;          // base of the exception stack (direct map)
	u64 cstack;          // base of the Go-to-C call stack (direct map)
	struct trapframe *tf; // the frame at the top of kstack: the EL1t state
	u64 tpidr;           // TPIDR_EL0 while the thread runs
	u64 clear_child_tid; // set_tid_address / CLONE_CHILD_CLEARTID
	// Sleeping: on chan, until deadline (counter ticks; 0 = none).
	const void *chan;
	u64 deadline;
	long wake_result; // what sleep returns: 0, -ETIMEDOUT or -EINTR
	u64 slice_end;    // counter value when its time slice ends
	// Signals (signal.c).
	u64 sigmask, sigpending;
	u64 altstack_sp, altstack_size;
	int altstack_flags;
	u64 sigcode[65], sigaddr[65]; // why each pending signal was sent
	// User mode (user.c): while in_user, the thread runs a user program.
	bool in_user;
	struct user_regs *user_regs;
	struct user_trap *user_trap;
	struct trapframe *user_go; // the Go frame to resume when it traps
	struct trapframe user_stage; // the user frame, until trap_resume places it
	// Accounting: for the idle thread, cpu_ticks is this CPU's idle time.
	u64 switches, syscalls;
	u64 cpu_ticks;  // counter ticks spent running, up to the last switch
	u64 run_start;  // counter value when it last started running
};

extern struct thread threads[MAX_THREADS];
// threads_lock guards the thread table's free slots and next_tid.
extern struct spinlock threads_lock;

// thread_init makes the boot context thread 0, the idle thread.
void thread_init(void);
// thread_init_cpu makes idle the idle thread of the calling CPU.
void thread_init_cpu(struct thread *idle);
// thread_create makes a thread whose trap frame is a copy of tf; it
// returns the thread, or NULL when out of threads or memory. The thread
// does not run until thread_run: the caller finishes setting it up first,
// since another CPU may start it the moment it is runnable.
struct thread *thread_create(const struct trapframe *tf);
// thread_run makes a thread from thread_create runnable.
void thread_run(struct thread *t);
// thread_exit ends the current thread; its stacks are freed by the next
// thread to run. It never returns.
void thread_exit(void) __attribute__((noreturn));
// yield puts the current thread at the back of its CPU's queue and runs
// the next one; it returns when the thread runs again (maybe elsewhere).
void yield(void);
// sleep_on blocks the current thread on chan until wakeup(chan), the
// deadline (counter ticks, 0 = none) or a signal; it returns 0, -ETIMEDOUT
// or -EINTR. If lk is not NULL, the caller holds it, and it is released
// only once the thread is marked asleep, so a waker that takes lk before
// calling wakeup cannot slip in between (xv6's sleep does the same); it is
// held again on return. The BKL, if held, is let go of while asleep.
long sleep_on(const void *chan, u64 deadline, struct spinlock *lk);
// wakeup makes up to n threads sleeping on chan runnable; returns how many.
int wakeup(const void *chan, int n);
// thread_interrupt ends an interruptible sleep of t with -EINTR.
void thread_interrupt(struct thread *t);
// thread_wake_expired wakes this CPU's sleepers whose deadline passed
// (each CPU's tick does this for the threads asleep on it).
void thread_wake_expired(u64 now);
// thread_slice_over reports whether this CPU's thread has used its time
// slice while another thread waits in this CPU's queue.
bool thread_slice_over(u64 now);
// thread_next_deadline returns the earliest deadline of a thread asleep
// on this CPU, or 0.
u64 thread_next_deadline(void);
// thread_runnable counts the threads waiting in every run queue (a hint,
// read without locks).
int thread_runnable(void);
// thread_idle_loop runs the idle thread forever.
void thread_idle_loop(void) __attribute__((noreturn));
// thread_by_tid finds a live thread.
struct thread *thread_by_tid(int tid);
int thread_count(void);
// thread_cpu_ticks returns the counter ticks t has run, including now.
u64 thread_cpu_ticks(struct thread *t);

// swtch saves the current context in old and resumes new (swtch.S).
void swtch(struct context *old, struct context *new);
