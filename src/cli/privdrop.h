/* SPDX-License-Identifier: MIT */
/*
 * --run-as: once the socket is subscribed and sized and the table seeded,
 * become an ordinary user that keeps one capability, CAP_SYS_PTRACE (to
 * read other users' exe and cwd), and can never gain more.
 */
#ifndef SW_PRIVDROP_H
#define SW_PRIVDROP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* The kernel's overflow uid: nobody, and every unmapped uid in a user
 * namespace. */
#define SW_OVERFLOW_UID 65534u

/* Returns 0, or -1 with a one-line reason in err. */
int sw_privdrop(uid_t uid, gid_t gid, char *err, size_t errlen);

/* Whether this process has capability CAP in its effective set. */
bool sw_privdrop_has_cap(unsigned cap);

/*
 * What a subscription without full privileges cannot do, as one warning
 * line (no newline) in buf: other users' exe and cwd unreadable without
 * CAP_SYS_PTRACE (!ptrace), a receive buffer below the asked size (got, as
 * set, i.e. half what SO_RCVBUF reports).  Returns its length, 0 when
 * nothing is degraded.
 */
int sw_privdrop_degraded(char *buf, size_t len, bool root, bool ptrace,
			 size_t asked, long got);

/*
 * Why --run-as must not take this user (NULL: it may): any process that
 * runs as the user spawnwatch becomes can kill it (signals need only the
 * same uid), and so blind the monitor.  Refused: root (uid 0), nobody
 * (the overflow uid 65534, or a user named nobody or nfsnobody), a user
 * whose primary group is root's (gid 0), a user with a login shell (any
 * but nologin, false or true; an empty one is /bin/sh), and a user that
 * OTHER_PID (> 0: found by sw_privdrop_uid_in_use) runs as.  Pure.
 */
const char *sw_privdrop_shared(uint32_t uid, uint32_t gid, const char *name,
			       const char *shell, int other_pid);

/*
 * A process other than SELF whose real, effective, saved or file-system
 * uid is UID (its pid), 0 when none, or -errno when /proc is unreadable.
 */
int sw_privdrop_uid_in_use(uint32_t uid, int self);

#endif
