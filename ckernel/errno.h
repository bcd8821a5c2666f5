// errno.h: Linux error numbers (include/uapi/asm-generic/errno-base.h and
// errno.h), returned negated from system calls as the Linux ABI does.
#pragma once

#define EPERM 1
#define ENOENT 2
#define ESRCH 3
#define EINTR 4
#define EBADF 9
#define EAGAIN 11
#define ENOMEM 12
#define EFAULT 14
#define EINVAL 22
#define ENOSYS 38
#define ETIMEDOUT 110
#define EMFILE 24
#define ENODEV 19
#define ENOTTY 25
#define ENFILE 23
#define EPIPE 32
