/* SPDX-License-Identifier: MIT */
/*
 * The syslog transport: a socket to a local syslog daemon (datagram,
 * falling back to stream as syslog(3) does), a UDP peer, or a TCP peer
 * with RFC 6587 octet counting.  Messages go through a bounded queue and a
 * non-blocking socket, so the event loop never waits on the network:
 *
 *  - a message that finds the queue full is dropped and counted lost;
 *  - a lost connection is reopened with backoff (250 ms doubling to 10 s);
 *    what was queued is kept, and on a stream what the peer's kernel had
 *    not acknowledged (SIOCOUTQ) is sent again, whole messages only;
 *  - a UDP peer that refuses datagrams (ICMP port unreachable) has lost
 *    some, how many is unknown.
 *
 * Messages are never split or merged: one datagram, or one frame, each.
 */
#ifndef SW_SYSLOG_CONN_H
#define SW_SYSLOG_CONN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sink_syslog.h"

/* Bytes the queue holds at most, sent and unacknowledged included. */
#define SW_SYSLOG_QUEUE_MAX (4u << 20)

struct sw_syslog_conn;

/*
 * Resolves and connects (waiting up to 5 s for a TCP handshake): a
 * destination that cannot be reached at start is an error, later losses
 * are not.  patient: when the queue is full, wait (up to 5 s each time)
 * for a live peer to take more rather than drop (replay has no clock to
 * keep).  0, or -errno with a one-line reason in err.
 */
int sw_syslog_conn_open(struct sw_syslog_conn **ret,
			const struct sw_syslog_addr *a, bool patient, char *err,
			size_t errlen);
/* Queues one message (no framing) and sends what the socket takes. */
void sw_syslog_conn_send(struct sw_syslog_conn *c, const char *msg,
			 size_t len);
/* Reconnects when due and sends what the socket takes. */
void sw_syslog_conn_flush(struct sw_syslog_conn *c);
/* Stream bytes queued and not yet written (with the queue's own). */
size_t sw_syslog_conn_pending(const struct sw_syslog_conn *c);
/*
 * Connected, room in the queue, and (UDP) no refusal for 2 s: losses can
 * be told now without the report itself going the same way.
 */
bool sw_syslog_conn_ready(struct sw_syslog_conn *c);
/* Moves the messages lost since the last call into *lost / *unknown. */
void sw_syslog_conn_take_lost(struct sw_syslog_conn *c, uint64_t *lost,
			      bool *unknown);
/* Whether the connection is a stream socket (local fallback, TCP). */
bool sw_syslog_conn_stream(const struct sw_syslog_conn *c);
/*
 * Sends what is queued within timeout_ms (on a stream, until the peer
 * acknowledged it), closes, frees.  Returns the messages left undelivered.
 */
uint64_t sw_syslog_conn_close(struct sw_syslog_conn *c, unsigned timeout_ms);

#endif
