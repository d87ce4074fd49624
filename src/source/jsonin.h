/* SPDX-License-Identifier: MIT */
/*
 * JSON lines in: one line of the schema emit_json.c writes (doc/spawnwatch.1,
 * EVENTS) back into a struct sw_event, for `spawnwatch replay`.  Pure: no
 * I/O, no global state.
 *
 * Replay runs on wall time: ktime_ns is the line's "ts" in nanoseconds since
 * the Unix epoch, not CLOCK_MONOTONIC.
 *
 * What the line does not say cannot come back (see emit_json.c):
 *  - strings the emitter made valid UTF-8 keep their \xNN escapes as text,
 *    since a literal backslash is not escaped and the two cannot be told
 *    apart;
 *  - every string but an argv element ends at its first NUL (JSON allows
 *    \u0000, C strings do not); argv elements keep all their bytes, so an
 *    element holding a NUL reads back as two;
 *  - a comm event's names are cut to SW_COMM_LEN bytes, \xNN escapes
 *    included; its line has no room for the process's own comm (ev->comm);
 *  - argv always ends in a NUL, like /proc/PID/cmdline, even when the
 *    recorded command line did not;
 *  - cpu, the connector seq, start_ns, marked, the parent's namespaces and
 *    credentials, and the previous namespaces of an exec are never written;
 *    the line's own "seq" is checked but not kept, its "host" is kept
 *    aside: see sw_jsonin_host();
 *  - fields the kernel gave but the line does not carry are derived: a
 *    fork's parent_pid and parent_tid, a coredump's parent_pid and an exit's
 *    kernel_ppid are the "ppid" (0 without one); a ptrace tracer_tid is the
 *    tracer_pid;
 *  - uid/gid events carry the new ids only as the process's "uid"/"euid"
 *    ("gid"/"egid"); without them u.id.r and u.id.e are 0;
 *  - duration_s is cut to microseconds, oldest_s to milliseconds, and any
 *    number to 15 significant digits; a duration_s or oldest_s below 0 or
 *    above SW_DURATION_MAX_S (no writer gives one) makes the line malformed;
 *  - start and stop lines give only their type and time: their payload
 *    (version, filter, stats) is not read;
 *  - "tags" are not put in the event (replay computes its own) but are kept:
 *    see sw_jsonin_tags().
 */
#ifndef SW_JSONIN_H
#define SW_JSONIN_H

#include <stddef.h>

#include "event.h"

/* Owns the strings of the last parsed line. */
struct sw_jsonin;

struct sw_jsonin *sw_jsonin_new(void);
void sw_jsonin_free(struct sw_jsonin *in);

/*
 * Parses one line, line[0..len) (a trailing newline is allowed, a NUL
 * terminator is not needed), into ev.  String fields of ev point into
 * storage owned by in and stay valid until the next call.  "event" and
 * "ts" are required, and "pid" on process events.  Keys it does not know,
 * or that belong to another kind, are ignored; a known key of the wrong type
 * or out of range is an error.
 *
 * Returns 0; 1 when the line is empty or whitespace only (skip it, ev is
 * untouched); or -1 with a short one-line reason in err (printable ASCII,
 * truncated to errlen), after which ev holds nothing useful.
 */
int sw_jsonin_parse(struct sw_jsonin *in, const char *line, size_t len,
		    struct sw_event *ev, char *err, size_t errlen);

/*
 * The "tags" of the last parsed line: stores up to max of them in tags and
 * returns how many the line had, at most SW_TAGS_MAX (further ones are
 * dropped).  Valid until the next sw_jsonin_parse().
 */
unsigned sw_jsonin_tags(const struct sw_jsonin *in, const char **tags,
			unsigned max);

/*
 * The "host" of the last parsed line (up to its first NUL), or NULL if it
 * had none.  Valid until the next sw_jsonin_parse().
 */
const char *sw_jsonin_host(const struct sw_jsonin *in);

#endif
