/* SPDX-License-Identifier: MIT */
/* `spawnwatch -- COMMAND`: the command spawnwatch starts and follows. */
#ifndef SW_RUN_H
#define SW_RUN_H

#include <sys/types.h>

/*
 * Starts argv[0] (searched in PATH) with the signal mask and dispositions
 * spawnwatch changed put back, at the nice value spawnwatch was started
 * with (not its own boost).  Returns its pid, or -errno when it could
 * not be executed (the child is reaped then).
 */
pid_t sw_run_start(char *const argv[], int nice);

/*
 * For a command that spawnwatch will no longer be allowed to signal once
 * it is another user (--run-as): a process that stays root and sends the
 * command SIGTERM when the returned descriptor is closed (or spawnwatch
 * exits) without a byte written to it first; write one once the command
 * is reaped.  The descriptor (the guard's pid in *ret_guard: reap it once
 * the descriptor is closed), or -errno.
 */
int sw_run_guard(pid_t pid, pid_t *ret_guard);

/* Reaps pid without blocking: 1 and its status as a shell reports it
 * (code, or 128 + signal), 0 while it runs, -errno on error. */
int sw_run_reap(pid_t pid, int *ret_status);

#endif
