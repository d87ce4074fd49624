/* SPDX-License-Identifier: MIT */
/*
 * The parts of an event that --format json (emit_json_fast.c) and --format
 * ecs (emit_ecs.c, emit_ecs_process.c) write alike, by the JSON writer: one
 * piece of code for the same bytes.  The small ones are inline, since they
 * are on every line.  Internal to the emitters.
 */
#ifndef SW_EMIT_JSON_INT_H
#define SW_EMIT_JSON_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "emit.h"
#include "event.h"
#include "jsonw.h"

/* ,"ancestry":[...], as sw_json_ancestry() builds it. */
void sw_emit_json_ancestry(struct sw_jsonw *w, const struct sw_event *ev);
/* ,"net":{...} of a shell wired to a peer, as sw_json_net() builds it. */
void sw_emit_json_net(struct sw_jsonw *w, const struct sw_event *ev);
/* ,"detail":{...} of an anomaly, as sw_json_anomaly_detail() builds it. */
void sw_emit_json_detail(struct sw_jsonw *w, const struct sw_event *ev);

/*
 * The line's first key, key (its '{', quotes and ':'), and ev's time as a
 * string: {"ts":"..." or {"@timestamp":"...".
 */
static inline void sw_emit_json_ts(struct sw_emit *em, struct sw_jsonw *w,
				   const struct sw_event *ev, const char *key,
				   size_t klen)
{
	char ts[SW_EMIT_TS_MAX];
	size_t n = sw_emit_ts_cached(em, ev->ktime_ns, ts);

	sw_jsonw_raw(w, key, klen);
	sw_jsonw_string(w, ts, n, true);
}
#define JW_TS(em, w, ev, k) sw_emit_json_ts(em, w, ev, k, sizeof(k) - 1)

/* ,"tags":[...]: none when ev has no tags. */
static inline void sw_emit_json_tags(struct sw_jsonw *w,
				     const struct sw_event *ev)
{
	if (!ev->n_tags)
		return;
	JW_STRICT(w, ",\"tags\":[", ev->tags[0]);
	for (unsigned i = 1; i < ev->n_tags; i++)
		JW_STRICT(w, ",", ev->tags[i]);
	JW_LIT(w, "]");
}

/*
 * The strings of argv (NUL-separated, len bytes; the last NUL may be
 * missing) between the brackets of an array: how many.
 */
static inline long long sw_emit_json_argv(struct sw_jsonw *w,
					  const char *argv, size_t len)
{
	size_t i = 0;
	long long count = 0;

	while (i < len) {
		const char *nul = memchr(argv + i, '\0', len - i);
		size_t n = nul ? (size_t)(nul - (argv + i)) : len - i;

		if (i)
			JW_LIT(w, ",");
		sw_jsonw_string(w, argv + i, n, false);
		count++;
		i += n + 1;
	}
	return count;
}

/*
 * An exit's own keys: thread, the signal (or with code, when none, the exit
 * code), core, and the lifetime as sw_json_duration() cuts it, to the
 * microsecond.
 */
static inline void sw_emit_json_exit(struct sw_jsonw *w,
				     const struct sw_event *ev, bool code)
{
	const int signo = ev->u.exit.signal;
	char sig[32];

	JW_BOOL(w, ",\"thread\":", ev->thread);
	if (signo)
		JW_STRICT(w, ",\"signal\":",
			  sw_emit_signame(signo, sig, sizeof(sig)));
	else if (code)
		JW_INT(w, ",\"exit_code\":", ev->u.exit.exit_code);
	JW_BOOL(w, ",\"core\":", ev->u.exit.core);
	if (ev->have & SW_HAVE_DURATION) {
		JW_LIT(w, ",\"duration_s\":");
		sw_jsonw_scaled(w, sw_emit_seconds(ev->duration_s, 1000000), 6);
	}
}

/*
 * The keys of a kind that both formats write alike: a fork's thread, an
 * exit's (sw_emit_json_exit(), with its code when code), and what a change
 * of ids, name or parent says was before: prev_uid and prev_euid (or
 * prev_gid and prev_egid) when known, prev_comm when known, prev_ppid.
 * Nothing for the other kinds.
 */
static inline void sw_emit_json_kind(struct sw_jsonw *w,
				     const struct sw_event *ev, bool code)
{
	switch (ev->type) {
	case SW_EV_FORK:
		JW_BOOL(w, ",\"thread\":", ev->thread);
		break;
	case SW_EV_EXIT:
		sw_emit_json_exit(w, ev, code);
		break;
	case SW_EV_UID:
		if (ev->u.id.have_prev) {
			JW_INT(w, ",\"prev_uid\":", ev->u.id.prev_r);
			JW_INT(w, ",\"prev_euid\":", ev->u.id.prev_e);
		}
		break;
	case SW_EV_GID:
		if (ev->u.id.have_prev) {
			JW_INT(w, ",\"prev_gid\":", ev->u.id.prev_r);
			JW_INT(w, ",\"prev_egid\":", ev->u.id.prev_e);
		}
		break;
	case SW_EV_COMM:
		if (ev->u.comm.have_prev)
			JW_HOSTILE(w, ",\"prev_comm\":", ev->u.comm.prev);
		break;
	case SW_EV_REPARENT:
		JW_INT(w, ",\"prev_ppid\":", ev->u.reparent.prev_ppid);
		break;
	default:
		break;
	}
}

#endif
