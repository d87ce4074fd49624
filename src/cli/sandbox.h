/* SPDX-License-Identifier: MIT */
/*
 * The seccomp filter of the live watch, installed once everything that
 * needs more is done (the subscription, the /proc seed, the -- COMMAND and
 * its guard, --run-as): what a compromised spawnwatch could do with what it
 * keeps (CAP_SYS_PTRACE above all) is refused with an error, not a kill,
 * so that a path the list did not foresee is reported, not fatal.  It is a
 * deny-list: what spawnwatch, its libraries and a reader thread call stays
 * allowed.
 */
#ifndef SW_SANDBOX_H
#define SW_SANDBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* A system call refused outright, and the errno it then returns. */
struct sw_sandbox_deny {
	const char *name;	/* as libseccomp names it */
	int err;
	const char *why;	/* what it would give a compromised spawnwatch */
};

/* The list, ended by a NULL name. */
extern const struct sw_sandbox_deny sw_sandbox_denied[];

/*
 * Whether ptrace stays allowed in this build: LeakSanitizer stops the
 * process's threads with ptrace at exit, so a build with AddressSanitizer
 * keeps it (and says so in the self-test).
 */
extern const bool sw_sandbox_ptrace_kept;

/*
 * Installs the filter on every thread of the process (TSYNC).  It is
 * inherited by any child forked later: start those first.  Returns 0, 1
 * when it was left out (under valgrind, which has no seccomp(2)), or
 * -errno with a one-line reason in err.
 */
int sw_sandbox_seccomp(char *err, size_t errlen);

/*
 * The test hook (SPAWNWATCH_TEST_SANDBOX=PID in the environment): tries
 * what the filter refuses against PID (a process the test owns: ptrace
 * attaches to it and detaches at once) and writes one line "NAME=RESULT
 * ..." (no newline) in buf: "ok" or the errno's name.  Returns its length.
 */
int sw_sandbox_probe(pid_t target, char *buf, size_t len);

#endif
