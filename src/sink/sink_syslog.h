/* SPDX-License-Identifier: MIT */
/*
 * --syslog: each event as one RFC 5424 message whose MSG is the event's
 * JSON line (the ECS document with --format ecs):
 *
 *   <PRI>1 TIMESTAMP HOSTNAME spawnwatch PROCID MSGID - MSG
 *
 * TIMESTAMP is the event's own time (RFC 3339, UTC, microseconds), PROCID
 * spawnwatch's pid, MSGID the event name, facility daemon.  The pieces
 * here are pure (unit-tested); syslog_conn.c carries the messages.
 */
#ifndef SW_SINK_SYSLOG_H
#define SW_SINK_SYSLOG_H

#include <stddef.h>

#include "buf.h"
#include "emit.h"
#include "event.h"

#define SW_SYSLOG_DEFAULT "/dev/log"
#define SW_SYSLOG_PORT "514"
/*
 * Bytes of one message (header and MSG) at most, whatever the transport:
 * what one UDP datagram carries over IPv4 (65535 - 8 - 20), so that the
 * same event is the same message over UDP, TCP and /dev/log.
 */
#define SW_SYSLOG_MAX 65507u

enum sw_syslog_kind {
	SW_SYSLOG_UNIX,		/* a local socket: datagram, else stream */
	SW_SYSLOG_UDP,
	SW_SYSLOG_TCP,		/* RFC 6587 octet counting */
};

struct sw_syslog_addr {
	enum sw_syslog_kind kind;
	char path[108];		/* unix: sizeof(sun_path) */
	char host[256];		/* udp, tcp: a name or an address, no [] */
	char port[6];		/* udp, tcp: 1 to 65535 */
};

/*
 * Parses --syslog's ADDR: an absolute socket path (or unix://PATH),
 * udp://HOST[:PORT] or tcp://HOST[:PORT], HOST an IPv6 address in
 * brackets; PORT defaults to 514.  NULL means /dev/log.  No name is
 * resolved here.  0, or -EINVAL with a one-line reason in err.
 */
int sw_syslog_parse_addr(const char *s, struct sw_syslog_addr *ret, char *err,
			 size_t errlen);

/*
 * The severity of an event: anomaly → warning, lost → err, an event with
 * tags → notice, any other → info.  The journal uses it as PRIORITY.
 */
int sw_syslog_severity(const struct sw_event *ev);

/* Appends "<PRI>1 TIMESTAMP HOSTNAME spawnwatch PROCID MSGID - ". */
int sw_syslog_header(struct sw_buf *out, const struct sw_emit *em,
		     const struct sw_event *ev, int procid);

/*
 * Appends ev's whole message: the header and MSG, the line ev was emitted
 * as (line[0..len), its '\n' dropped).  A message over max bytes is made
 * to fit by the format (sw_emit_truncate(): ev formatted again, same seq,
 * cut and marked; a JSON document gets "truncated":true as its last key).
 * Returns 0, 1 when truncated, -EMSGSIZE when nothing makes it fit (not
 * appended), or -errno (-EINVAL: a format whose lines are never cut).
 */
int sw_syslog_message(struct sw_buf *out, struct sw_emit *em,
		      const struct sw_event *ev, const char *line, size_t len,
		      int procid, size_t max);

/* Appends msg framed by octet counting (RFC 6587 3.4.1): "LEN SP MSG". */
int sw_syslog_frame(struct sw_buf *out, const char *msg, size_t len);

#endif
