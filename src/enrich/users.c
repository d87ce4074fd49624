/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "users.h"

#define USERS_SLOTS 256		/* power of two; a full cache starts over */

struct user_slot {
	uint32_t uid;
	char *name;		/* NULL: uid has no name */
	int used;
};

struct sw_users {
	struct user_slot slot[USERS_SLOTS];
	unsigned count;
};

struct sw_users *sw_users_new(void)
{
	return calloc(1, sizeof(struct sw_users));
}

static void users_clear(struct sw_users *u)
{
	for (unsigned i = 0; i < USERS_SLOTS; i++)
		free(u->slot[i].name);
	memset(u, 0, sizeof(*u));
}

void sw_users_free(struct sw_users *u)
{
	if (!u)
		return;
	users_clear(u);
	free(u);
}

static char *lookup(uint32_t uid)
{
	char buf[4096];
	struct passwd pw, *res = NULL;

	if (getpwuid_r((uid_t)uid, &pw, buf, sizeof(buf), &res) != 0 || !res)
		return NULL;
	return strdup(res->pw_name);
}

const char *sw_users_name(struct sw_users *u, uint32_t uid)
{
	unsigned i = (uid * 2654435761u) & (USERS_SLOTS - 1);

	for (unsigned n = 0; n < USERS_SLOTS; n++, i = (i + 1) & (USERS_SLOTS - 1)) {
		struct user_slot *s = &u->slot[i];

		if (s->used && s->uid == uid)
			return s->name;
		if (!s->used) {
			if (u->count >= USERS_SLOTS / 2) {
				users_clear(u);
				return sw_users_name(u, uid);
			}
			s->used = 1;
			s->uid = uid;
			s->name = lookup(uid);
			u->count++;
			return s->name;
		}
	}
	return NULL;
}
