// sysnames.h: Linux arm64 system call names by number (generated table).
#pragma once

#define SYSNAMES_MAX 512
extern const char *const sysnames[SYSNAMES_MAX]; // NULL where no call has the number
