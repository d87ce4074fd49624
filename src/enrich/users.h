/* SPDX-License-Identifier: MIT */
/*
 * uid → user name, cached: one NSS lookup per uid, not per event, each
 * waited for SW_USERS_TIMEOUT_MS at most (NSS may hang on a directory
 * server): a name that comes later is used from then on.
 */
#ifndef SW_USERS_H
#define SW_USERS_H

#include <stdint.h>

#define SW_USERS_TIMEOUT_MS 50

struct sw_users;

struct sw_users *sw_users_new(void);
void sw_users_free(struct sw_users *u);
/* The name of uid, or NULL when it has none.  Valid until freed. */
const char *sw_users_name(struct sw_users *u, uint32_t uid);

#endif
