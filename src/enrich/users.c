/* SPDX-License-Identifier: MIT */
/*
 * uid to name through NSS, which may ask a directory over the network
 * (LDAP, sssd) and hang.  A lookup runs on a resolver thread and the
 * caller waits SW_USERS_TIMEOUT_MS at most; past that the uid goes without
 * a name (its number is always in the line) until the answer comes, which
 * the next lookup collects.  One lookup at a time: while the resolver is
 * busy, other names are not asked for yet.
 */
#include "config.h"

#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "users.h"

#define USERS_SLOTS 256		/* power of two; a full cache starts over */

struct user_slot {
	uint32_t uid;
	char *name;		/* NULL: uid has no name (or not yet) */
	int used;
	bool pending;		/* asked, not answered in time */
};

/* Shared with the resolver thread; the last of the two frees it. */
struct resolver {
	pthread_mutex_t mu;
	pthread_cond_t go, done;
	unsigned refs;
	bool has_req, has_ans, busy, quit;
	pthread_t thread;		/* joinable: sw_users_free() */
	uint32_t uid;
	char *name;
};

struct sw_users {
	struct user_slot slot[USERS_SLOTS];
	unsigned count;
	struct resolver *res;	/* NULL: lookups on the caller's thread */
	bool started;
	bool waiting;		/* an answer is due */
};

struct sw_users *sw_users_new(void)
{
	return calloc(1, sizeof(struct sw_users));
}

static void users_clear(struct sw_users *u)
{
	for (unsigned i = 0; i < USERS_SLOTS; i++)
		free(u->slot[i].name);
	memset(u->slot, 0, sizeof(u->slot));
	u->count = 0;
}

static void res_put(struct resolver *r)
{
	bool last;

	pthread_mutex_lock(&r->mu);
	last = --r->refs == 0;
	pthread_mutex_unlock(&r->mu);
	if (!last)
		return;
	free(r->name);
	pthread_cond_destroy(&r->go);
	pthread_cond_destroy(&r->done);
	pthread_mutex_destroy(&r->mu);
	free(r);
}

void sw_users_free(struct sw_users *u)
{
	if (!u)
		return;
	if (u->res) {
		pthread_t t = u->res->thread;
		struct timespec ts;

		pthread_mutex_lock(&u->res->mu);
		u->res->quit = true;
		pthread_cond_signal(&u->res->go);
		pthread_mutex_unlock(&u->res->mu);
		res_put(u->res);
		/* Ended before exit (valgrind reaps a live thread by a spin),
		 * unless a lookup holds it: then it ends on its own. */
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += 1;
		if (pthread_timedjoin_np(t, NULL, &ts) != 0)
			pthread_detach(t);
	}
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

static void *resolver_main(void *arg)
{
	struct resolver *r = arg;
	char *name;

	pthread_mutex_lock(&r->mu);
	while (!r->quit) {
		if (!r->has_req) {
			pthread_cond_wait(&r->go, &r->mu);
			continue;
		}
		r->has_req = false;
		pthread_mutex_unlock(&r->mu);
		name = lookup(r->uid);
		pthread_mutex_lock(&r->mu);
		free(r->name);
		r->name = name;
		r->has_ans = true;
		r->busy = false;
		pthread_cond_broadcast(&r->done);
	}
	pthread_mutex_unlock(&r->mu);
	res_put(r);
	return NULL;
}

static struct resolver *resolver_start(void)
{
	struct resolver *r = calloc(1, sizeof(*r));
	pthread_condattr_t ca;
	pthread_attr_t at;
	sigset_t all, old;
	int err;

	if (!r)
		return NULL;
	pthread_mutex_init(&r->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&r->done, &ca);
	pthread_condattr_destroy(&ca);
	pthread_cond_init(&r->go, NULL);
	r->refs = 2;
	pthread_attr_init(&at);
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	err = pthread_create(&r->thread, &at, resolver_main, r);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_attr_destroy(&at);
	if (err) {
		r->refs = 1;
		res_put(r);
		return NULL;
	}
	return r;
}

static struct user_slot *find(struct sw_users *u, uint32_t uid)
{
	unsigned i = (uid * 2654435761u) & (USERS_SLOTS - 1);

	for (unsigned n = 0; n < USERS_SLOTS; n++, i = (i + 1) & (USERS_SLOTS - 1)) {
		struct user_slot *s = &u->slot[i];

		if (!s->used || s->uid == uid)
			return s;
	}
	return NULL;
}

/* A late answer, into its slot if the cache still has it.  Locked. */
static void collect(struct sw_users *u)
{
	struct resolver *r = u->res;
	struct user_slot *s;

	if (!r->has_ans)
		return;
	r->has_ans = false;
	u->waiting = false;
	s = find(u, r->uid);
	if (s && s->used && s->pending) {
		s->name = r->name;
		s->pending = false;
		r->name = NULL;
	}
}

static void deadline(struct timespec *ts)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
	ts->tv_nsec += SW_USERS_TIMEOUT_MS * 1000000L;
	ts->tv_sec += ts->tv_nsec / 1000000000L;
	ts->tv_nsec %= 1000000000L;
}

/* Asks the resolver and waits for it; false when it did not answer in time. */
static bool ask(struct sw_users *u, struct user_slot *s, uint32_t uid)
{
	struct resolver *r = u->res;
	struct timespec ts;
	int err = 0;

	pthread_mutex_lock(&r->mu);
	collect(u);
	if (r->busy) {
		pthread_mutex_unlock(&r->mu);
		return false;		/* not asked: asked again next time */
	}
	r->uid = uid;
	r->has_req = r->busy = true;
	u->waiting = true;
	pthread_cond_signal(&r->go);
	deadline(&ts);
	while (!r->has_ans && err == 0)
		err = pthread_cond_timedwait(&r->done, &r->mu, &ts);
	s->used = 1;
	s->uid = uid;
	s->pending = true;
	u->count++;
	collect(u);
	pthread_mutex_unlock(&r->mu);
	return true;
}

const char *sw_users_name(struct sw_users *u, uint32_t uid)
{
	struct user_slot *s;

	if (u->waiting) {
		pthread_mutex_lock(&u->res->mu);
		collect(u);
		pthread_mutex_unlock(&u->res->mu);
	}
	s = find(u, uid);
	if (s && s->used)
		return s->name;
	if (!s || u->count >= USERS_SLOTS / 2) {
		users_clear(u);
		s = find(u, uid);
	}
	if (!u->started) {
		u->started = true;
		u->res = resolver_start();
	}
	if (!u->res) {
		s->used = 1;
		s->uid = uid;
		s->name = lookup(uid);
		u->count++;
		return s->name;
	}
	return ask(u, s, uid) ? s->name : NULL;
}
