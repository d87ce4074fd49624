/* SPDX-License-Identifier: MIT */
/*
 * --run-as: once the socket is subscribed and sized and the table seeded,
 * become an ordinary user that keeps one capability, CAP_SYS_PTRACE (to
 * read other users' exe and cwd), and can never gain more.
 */
#ifndef SW_PRIVDROP_H
#define SW_PRIVDROP_H

#include <stddef.h>
#include <sys/types.h>

/* Returns 0, or -1 with a one-line reason in err. */
int sw_privdrop(uid_t uid, gid_t gid, char *err, size_t errlen);

#endif
