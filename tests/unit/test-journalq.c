/* SPDX-License-Identifier: MIT */
/*
 * The journal sink's queue and sender thread (journal_queue.c) with a send
 * callback in place of sd_journal_sendv: entries go in order and whole; a
 * send that never returns (journald stopped) leaves push refusing at once
 * when full, never blocking; failures are counted; stop keeps to its
 * deadline whatever the sender does.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "journal_queue.h"

#define MAX_SENT 64

/* What the fake journal saw, and how it answers. */
struct fake {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	bool gate_shut;		/* a send waits until it opens */
	bool fail;		/* a send returns -1 */
	unsigned in_send;	/* sends under way */
	unsigned returned;	/* sends that returned */
	unsigned n;
	char sent[MAX_SENT][256];	/* each entry, fields joined by '|' */
};

static struct fake fk;

static int fake_send(const struct iovec *iov, int n, void *arg)
{
	struct fake *f = arg;
	char *out;
	size_t o = 0;
	int res;

	pthread_mutex_lock(&f->mu);
	f->in_send++;
	pthread_cond_broadcast(&f->cv);
	while (f->gate_shut)
		pthread_cond_wait(&f->cv, &f->mu);
	res = f->fail ? -1 : 0;
	if (!f->fail && f->n < MAX_SENT) {
		out = f->sent[f->n++];
		for (int i = 0; i < n; i++) {
			size_t l = iov[i].iov_len;

			if (o + l + 2 > sizeof(f->sent[0]))
				l = sizeof(f->sent[0]) - o - 2;
			if (i)
				out[o++] = '|';
			memcpy(out + o, iov[i].iov_base, l);
			o += l;
		}
		out[o] = '\0';
	}
	f->in_send--;
	f->returned++;
	pthread_cond_broadcast(&f->cv);
	pthread_mutex_unlock(&f->mu);
	return res;
}

static void gate(bool shut)
{
	pthread_mutex_lock(&fk.mu);
	fk.gate_shut = shut;
	pthread_cond_broadcast(&fk.cv);
	pthread_mutex_unlock(&fk.mu);
}

/* Waits (10 s at most) until a send is under way, or n have returned. */
static bool wait_fake(unsigned in_send, unsigned returned)
{
	struct timespec ts;
	int err = 0;
	bool ok;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += 10;
	pthread_mutex_lock(&fk.mu);
	while ((fk.in_send < in_send || fk.returned < returned) && err == 0)
		err = pthread_cond_timedwait(&fk.cv, &fk.mu, &ts);
	ok = fk.in_send >= in_send && fk.returned >= returned;
	pthread_mutex_unlock(&fk.mu);
	return ok;
}

static int setup(void **state)
{
	(void)state;
	memset(&fk, 0, sizeof(fk));
	pthread_mutex_init(&fk.mu, NULL);
	pthread_cond_init(&fk.cv, NULL);
	return 0;
}

/* An entry of fields "A=<tag>" and "B=<n bytes of x>". */
static void entry(struct sw_journal_entry *e, const char *tag, size_t nb)
{
	char a[64];
	int la = snprintf(a, sizeof(a), "A=%s", tag);

	e->n = 0;
	e->buf.len = 0;
	assert_int_equal(sw_buf_append(&e->buf, a, (size_t)la), 0);
	e->off[0] = 0;
	e->len[0] = (size_t)la;
	assert_int_equal(sw_buf_append(&e->buf, "B=", 2), 0);
	for (size_t i = 0; i < nb; i++)
		assert_int_equal(sw_buf_append(&e->buf, "x", 1), 0);
	e->off[1] = (size_t)la;
	e->len[1] = 2 + nb;
	e->n = 2;
}

static void test_order(void **state)
{
	struct sw_journal_entry e = { 0 };
	struct sw_jq *q = sw_jq_start(16, 1 << 20, fake_send, &fk);

	(void)state;
	assert_non_null(q);
	for (int i = 0; i < 5; i++) {
		char tag[8];

		snprintf(tag, sizeof(tag), "e%d", i);
		entry(&e, tag, (size_t)i);
		assert_int_equal(sw_jq_push(q, &e), 0);
	}
	assert_int_equal(sw_jq_stop(q, 5000), 0);
	assert_int_equal(fk.n, 5);
	assert_string_equal(fk.sent[0], "A=e0|B=");
	assert_string_equal(fk.sent[3], "A=e3|B=xxx");
	assert_string_equal(fk.sent[4], "A=e4|B=xxxx");
	sw_buf_free(&e.buf);
}

/* journald stopped: the sender blocks in its send; push refuses at once
 * when the queue is full, and all goes in once it reads again. */
static void test_full_never_blocks(void **state)
{
	struct sw_journal_entry e = { 0 };
	struct sw_jq *q;

	(void)state;
	gate(true);
	assert_non_null(q = sw_jq_start(4, 1 << 20, fake_send, &fk));
	entry(&e, "first", 1);
	assert_int_equal(sw_jq_push(q, &e), 0);
	assert_true(wait_fake(1, 0));		/* in flight, blocked */
	for (int i = 0; i < 3; i++)
		assert_int_equal(sw_jq_push(q, &e), 0);
	assert_int_equal(sw_jq_queued(q), 4);
	assert_false(sw_jq_ready(q));
	for (int i = 0; i < 100; i++)
		assert_int_equal(sw_jq_push(q, &e), -ENOSPC);
	assert_int_equal(sw_jq_queued(q), 4);
	gate(false);
	assert_true(wait_fake(0, 4));
	assert_int_equal(sw_jq_stop(q, 5000), 0);
	assert_int_equal(fk.n, 4);
	sw_buf_free(&e.buf);
}

/* The byte bound: an entry larger than it never goes in; smaller ones do
 * until the bytes are used; ready() keeps SW_JQ_ROOM for the lost line. */
static void test_bytes(void **state)
{
	struct sw_journal_entry e = { 0 };
	struct sw_jq *q;
	int in = 0;

	(void)state;
	gate(true);
	assert_non_null(q = sw_jq_start(1000, 64 << 10, fake_send, &fk));
	entry(&e, "big", 100 << 10);
	assert_int_equal(sw_jq_push(q, &e), -ENOSPC);
	assert_true(sw_jq_ready(q));	/* empty: room for a lost line */
	entry(&e, "small", 10 << 10);
	while (sw_jq_push(q, &e) == 0)
		in++;
	assert_in_range(in, 5, 6);	/* 64 KiB over 10 KiB, with headers */
	/* Not ready while a lost line might not fit: it would be lost too. */
	assert_false(sw_jq_ready(q));
	gate(false);
	assert_int_equal(sw_jq_stop(q, 5000), 0);
	assert_int_equal(fk.n, (unsigned)in);
	sw_buf_free(&e.buf);
}

/* A send that fails is counted once, and the queue is not ready until a
 * send works again. */
static void test_failures(void **state)
{
	struct sw_journal_entry e = { 0 };
	struct sw_jq *q;

	(void)state;
	fk.fail = true;
	assert_non_null(q = sw_jq_start(16, 1 << 20, fake_send, &fk));
	entry(&e, "f", 1);
	for (int i = 0; i < 3; i++)
		assert_int_equal(sw_jq_push(q, &e), 0);
	assert_true(wait_fake(0, 3));
	/* The sender counts the failure after its send returned. */
	for (int i = 0; i < 1000 && sw_jq_queued(q); i++)
		nanosleep(&(struct timespec){ .tv_nsec = 1000000 }, NULL);
	assert_int_equal(sw_jq_queued(q), 0);
	assert_false(sw_jq_ready(q));
	assert_int_equal(sw_jq_take_failed(q), 3);
	assert_int_equal(sw_jq_take_failed(q), 0);
	pthread_mutex_lock(&fk.mu);
	fk.fail = false;
	pthread_mutex_unlock(&fk.mu);
	assert_int_equal(sw_jq_push(q, &e), 0);
	assert_true(wait_fake(0, 4));
	for (int i = 0; i < 1000 && sw_jq_queued(q); i++)
		nanosleep(&(struct timespec){ .tv_nsec = 1000000 }, NULL);
	assert_true(sw_jq_ready(q));
	/* One more failure, not taken: stop counts it. */
	pthread_mutex_lock(&fk.mu);
	fk.fail = true;
	pthread_mutex_unlock(&fk.mu);
	assert_int_equal(sw_jq_push(q, &e), 0);
	assert_int_equal(sw_jq_stop(q, 5000), 1);
	assert_int_equal(fk.n, 1);
	sw_buf_free(&e.buf);
}

/* Stop while the sender is blocked: it keeps to its deadline, counts what
 * it dropped (the entry in flight too), and the sender ends on its own
 * once its send returns. */
static void test_stop_deadline(void **state)
{
	struct sw_journal_entry e = { 0 };
	struct timespec t0, t1;
	struct sw_jq *q;
	long ms;

	(void)state;
	gate(true);
	assert_non_null(q = sw_jq_start(16, 1 << 20, fake_send, &fk));
	entry(&e, "s", 1);
	assert_int_equal(sw_jq_push(q, &e), 0);
	assert_true(wait_fake(1, 0));
	assert_int_equal(sw_jq_push(q, &e), 0);
	assert_int_equal(sw_jq_push(q, &e), 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(sw_jq_stop(q, 200), 3);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
	assert_true(ms >= 190);
	gate(false);
	assert_true(wait_fake(0, 1));
	assert_int_equal(fk.returned, 1);	/* the dropped two never sent */
	sw_buf_free(&e.buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_order, setup),
		cmocka_unit_test_setup(test_full_never_blocks, setup),
		cmocka_unit_test_setup(test_bytes, setup),
		cmocka_unit_test_setup(test_failures, setup),
		cmocka_unit_test_setup(test_stop_deadline, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
