/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>

#include "watchdog.h"
#include "watch_int.h"

struct sw_watchdog {
	pthread_mutex_t mu;
	pthread_cond_t cv;		/* CLOCK_MONOTONIC */
	bool stop;
	pthread_t thread;
	struct watch *w;
};

static void tick_after(struct timespec *ts)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
	ts->tv_nsec += SW_WATCHDOG_TICK_MS * 1000000L;
	while (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

static void dog_free(struct sw_watchdog *d)
{
	pthread_cond_destroy(&d->cv);
	pthread_mutex_destroy(&d->mu);
	free(d);
}

static void *dog_main(void *arg)
{
	struct sw_watchdog *d = arg;
	struct watch *w = d->w;
	uint64_t seen = 0;
	struct timespec ts;

	pthread_mutex_lock(&d->mu);
	while (!d->stop) {
		tick_after(&ts);
		while (!d->stop && pthread_cond_timedwait(&d->cv, &d->mu, &ts) != ETIMEDOUT)
			;
		if (d->stop || !sw_reader_depose(w->enrich->reader, &seen))
			continue;
		/* The loop is this thread's now; nobody joins it. */
		pthread_mutex_unlock(&d->mu);
		pthread_detach(pthread_self());
		w->wd = NULL;
		dog_free(d);
		sw_watch_carry_on(w);	/* does not return */
	}
	pthread_mutex_unlock(&d->mu);
	return NULL;
}

/*
 * Scheduled as the caller, by inheritance, which takes no privilege (after
 * --run-as): the watch clears SCHED_RESET_ON_FORK from its policy first.
 */
static int spawn(struct sw_watchdog *d)
{
	pthread_attr_t at;
	sigset_t all, old;
	int err;

	pthread_attr_init(&at);
	pthread_attr_setinheritsched(&at, PTHREAD_INHERIT_SCHED);
	/* Signals stay for the signalfd. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	err = pthread_create(&d->thread, &at, dog_main, d);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_attr_destroy(&at);
	return -err;
}

int sw_watchdog_start(struct watch *w)
{
	struct sw_watchdog *d = calloc(1, sizeof(*d));
	pthread_condattr_t ca;
	int r;

	if (!d)
		return -ENOMEM;
	d->w = w;
	pthread_mutex_init(&d->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&d->cv, &ca);
	pthread_condattr_destroy(&ca);
	r = spawn(d);
	if (r < 0) {
		dog_free(d);
		return r;
	}
	w->wd = d;
	return 0;
}

void sw_watchdog_stop(struct watch *w)
{
	struct sw_watchdog *d = w->wd;

	if (!d)
		return;
	pthread_mutex_lock(&d->mu);
	d->stop = true;
	pthread_cond_signal(&d->cv);
	pthread_mutex_unlock(&d->mu);
	pthread_join(d->thread, NULL);
	w->wd = NULL;
	dog_free(d);
}
