/* SPDX-License-Identifier: MIT */
/*
 * The journal sink's queue and sender thread.  sd_journal_sendv() blocks
 * while journald does not read (stopped, overloaded: its socket's queue is
 * full), so the event loop never calls it: it pushes each entry into a
 * bounded queue (entries and bytes) and a thread of its own sends them.  A
 * full queue refuses the entry at once, and the sink counts it lost.  Pure
 * but for the thread: the send is a callback, so that the unit test can
 * stage a journal that never answers.
 */
#ifndef SW_JOURNAL_QUEUE_H
#define SW_JOURNAL_QUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#include "journal_fields.h"

#define SW_JQ_ENTRIES 4096
#define SW_JQ_BYTES (4u << 20)
#define SW_JQ_CLOSE_MS 1000
/* Room sw_jq_ready() asks for: a lost line always fits then. */
#define SW_JQ_ROOM (64u << 10)

/* Sends one entry; < 0 when it did not go in. */
typedef int (*sw_jq_send_fn)(const struct iovec *iov, int n, void *arg);

struct sw_jq;

/*
 * Starts the sender thread (SCHED_OTHER, every signal blocked).  NULL with
 * errno on failure.
 */
struct sw_jq *sw_jq_start(size_t max_entries, size_t max_bytes,
			  sw_jq_send_fn send, void *arg);
/* Copies e into the queue: 0; -ENOSPC when full; -ENOMEM.  Never blocks
 * for long: the sender holds the lock only to take an entry. */
int sw_jq_push(struct sw_jq *q, const struct sw_journal_entry *e);
/* Entries the sender could not send since the last call. */
uint64_t sw_jq_take_failed(struct sw_jq *q);
/* Whether a lost line would go in now: SW_JQ_ROOM bytes and an entry
 * free, and the last send worked. */
bool sw_jq_ready(struct sw_jq *q);
/* Entries in the queue, the one being sent included. */
size_t sw_jq_queued(struct sw_jq *q);
/*
 * Sends what is queued, for timeout_ms at most, and ends the thread.
 * Returns the entries that did not go in and were not taken by
 * sw_jq_take_failed(): those that failed since, and those dropped at the
 * deadline (the one in flight then counts: whether it went in is unknown).  A sender still blocked then is left to
 * end on its own, and frees what is left when its send returns.
 */
uint64_t sw_jq_stop(struct sw_jq *q, unsigned timeout_ms);

#endif
