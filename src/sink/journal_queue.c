/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "journal_queue.h"

struct rec {
	struct rec *next;
	size_t size;			/* counted against max_bytes */
	unsigned n;
	size_t len[SW_JOURNAL_FIELDS_MAX];
	char data[];
};

struct sw_jq {
	pthread_mutex_t mu;
	pthread_cond_t go;		/* an entry, or stop */
	pthread_cond_t idle_cv;		/* the sender waits: all sent */
	struct rec *head, **tail;
	size_t count, bytes;		/* queued, the one in flight apart */
	size_t max_entries, max_bytes;
	size_t busy_size;		/* the one in flight */
	uint64_t failed;
	bool waiting;			/* the sender waits on go */
	bool busy;			/* it is sending one */
	bool last_ok;
	bool stop, abandoned;
	unsigned refs;			/* the sink's and the thread's */
	sw_jq_send_fn send;
	void *arg;
	pthread_t thread;
};

static void drop_all(struct sw_jq *q)
{
	struct rec *r, *next;

	for (r = q->head; r; r = next) {
		next = r->next;
		free(r);
	}
	q->head = NULL;
	q->tail = &q->head;
	q->count = q->bytes = 0;
}

/* The last of the sink and the thread frees it. */
static void put(struct sw_jq *q)
{
	bool last;

	pthread_mutex_lock(&q->mu);
	last = --q->refs == 0;
	pthread_mutex_unlock(&q->mu);
	if (!last)
		return;
	drop_all(q);
	pthread_cond_destroy(&q->go);
	pthread_cond_destroy(&q->idle_cv);
	pthread_mutex_destroy(&q->mu);
	free(q);
}

static void *sender(void *arg)
{
	struct sw_jq *q = arg;
	struct iovec iov[SW_JOURNAL_FIELDS_MAX];

	pthread_mutex_lock(&q->mu);
	for (;;) {
		struct rec *r = q->head;
		size_t off = 0;
		int res;

		if (!r) {
			if (q->stop)
				break;
			q->waiting = true;
			pthread_cond_broadcast(&q->idle_cv);
			pthread_cond_wait(&q->go, &q->mu);
			q->waiting = false;
			continue;
		}
		q->head = r->next;
		if (!q->head)
			q->tail = &q->head;
		q->count--;
		q->bytes -= r->size;
		q->busy = true;
		q->busy_size = r->size;
		pthread_mutex_unlock(&q->mu);
		for (unsigned i = 0; i < r->n; i++) {
			iov[i].iov_base = r->data + off;
			iov[i].iov_len = r->len[i];
			off += r->len[i];
		}
		res = q->send(iov, (int)r->n, q->arg);
		pthread_mutex_lock(&q->mu);
		q->busy = false;
		q->busy_size = 0;
		free(r);
		q->last_ok = res >= 0;
		if (res < 0)
			q->failed++;
		if (q->abandoned)
			break;		/* the sink left at its deadline */
	}
	pthread_cond_broadcast(&q->idle_cv);
	pthread_mutex_unlock(&q->mu);
	put(q);
	return NULL;
}

struct sw_jq *sw_jq_start(size_t max_entries, size_t max_bytes,
			  sw_jq_send_fn send, void *arg)
{
	struct sw_jq *q = calloc(1, sizeof(*q));
	struct sched_param sp = { .sched_priority = 0 };
	pthread_condattr_t ca;
	pthread_attr_t at;
	sigset_t all, old;
	int err;

	if (!q)
		return NULL;
	pthread_mutex_init(&q->mu, NULL);
	pthread_cond_init(&q->go, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&q->idle_cv, &ca);
	pthread_condattr_destroy(&ca);
	q->tail = &q->head;
	q->max_entries = max_entries;
	q->max_bytes = max_bytes;
	q->send = send;
	q->arg = arg;
	q->last_ok = true;
	q->refs = 2;
	/*
	 * Not real-time, whatever the loop is: journald itself is not, and a
	 * sender that outran it would only fill its socket.
	 */
	pthread_attr_init(&at);
	pthread_attr_setinheritsched(&at, PTHREAD_EXPLICIT_SCHED);
	pthread_attr_setschedpolicy(&at, SCHED_OTHER);
	pthread_attr_setschedparam(&at, &sp);
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	err = pthread_create(&q->thread, &at, sender, q);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_attr_destroy(&at);
	if (err) {
		q->refs = 1;
		put(q);
		errno = err;
		return NULL;
	}
	return q;
}

int sw_jq_push(struct sw_jq *q, const struct sw_journal_entry *e)
{
	size_t data = 0, size;
	struct rec *r;
	char *p;
	bool full;

	for (unsigned i = 0; i < e->n; i++)
		data += e->len[i];
	size = sizeof(*r) + data;
	pthread_mutex_lock(&q->mu);
	full = q->count + q->busy >= q->max_entries ||
	       q->bytes + q->busy_size + size > q->max_bytes;
	pthread_mutex_unlock(&q->mu);
	if (full)
		return -ENOSPC;
	if (!(r = malloc(size)))
		return -ENOMEM;
	r->next = NULL;
	r->size = size;
	r->n = e->n;
	p = r->data;
	for (unsigned i = 0; i < e->n; i++) {
		r->len[i] = e->len[i];
		memcpy(p, e->buf.data + e->off[i], e->len[i]);
		p += e->len[i];
	}
	pthread_mutex_lock(&q->mu);
	/* Only this thread adds: the room it saw is still there. */
	*q->tail = r;
	q->tail = &r->next;
	q->count++;
	q->bytes += size;
	if (q->waiting)
		pthread_cond_signal(&q->go);
	pthread_mutex_unlock(&q->mu);
	return 0;
}

uint64_t sw_jq_take_failed(struct sw_jq *q)
{
	uint64_t n;

	pthread_mutex_lock(&q->mu);
	n = q->failed;
	q->failed = 0;
	pthread_mutex_unlock(&q->mu);
	return n;
}

bool sw_jq_ready(struct sw_jq *q)
{
	bool ok;

	pthread_mutex_lock(&q->mu);
	/* Room for the lost line too, or it would be lost in turn. */
	ok = q->last_ok && q->count + q->busy < q->max_entries &&
	     q->bytes + q->busy_size + SW_JQ_ROOM <= q->max_bytes;
	pthread_mutex_unlock(&q->mu);
	return ok;
}

size_t sw_jq_queued(struct sw_jq *q)
{
	size_t n;

	pthread_mutex_lock(&q->mu);
	n = q->count + q->busy;
	pthread_mutex_unlock(&q->mu);
	return n;
}

uint64_t sw_jq_stop(struct sw_jq *q, unsigned timeout_ms)
{
	struct timespec ts;
	uint64_t left = 0;
	bool done;
	int err = 0;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec += timeout_ms / 1000;
	ts.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&q->mu);
	q->stop = true;
	pthread_cond_signal(&q->go);
	while ((q->head || q->busy) && err != ETIMEDOUT)
		err = pthread_cond_timedwait(&q->idle_cv, &q->mu, &ts);
	done = !q->head && !q->busy;
	if (!done) {
		left = q->count + q->busy;	/* the one in flight too */
		drop_all(q);
		q->abandoned = true;
	}
	left += q->failed;
	q->failed = 0;
	pthread_mutex_unlock(&q->mu);
	if (done)
		pthread_join(q->thread, NULL);
	else
		pthread_detach(q->thread);
	put(q);
	return left;
}
