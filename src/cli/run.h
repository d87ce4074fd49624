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

/* Reaps pid without blocking: 1 and its status as a shell reports it
 * (code, or 128 + signal), 0 while it runs, -errno on error. */
int sw_run_reap(pid_t pid, int *ret_status);

#endif
