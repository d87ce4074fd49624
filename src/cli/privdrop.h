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
#include <sys/types.h>

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

#endif
