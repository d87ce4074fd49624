/* SPDX-License-Identifier: MIT */
/*
 * JSON lines, schema version 1 (doc/spawnwatch.1, EVENTS), built with
 * jansson: the oracle the writer of --format json (emit_json_fast.c) is
 * held to byte for byte.  Built into the unit tests and the fuzzers only
 * (libswref.a), never into the program.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include <jansson.h>

#include "emit.h"
#include "emit_json.h"
#include "stats.h"

/* Keys are added in schema order; jansson keeps insertion order. */
static int set(json_t *o, const char *key, json_t *v)
{
	/* Keys are this file's own literals: no UTF-8 check needed. */
	return v ? json_object_set_new_nocheck(o, key, v) : -ENOMEM;
}

static int set_str(struct sw_emit *em, json_t *o, const char *key,
		   const char *s)
{
	return s ? set(o, key, sw_json_hostile(em, s, strlen(s))) : 0;
}

static json_t *unread_object(const struct sw_event *ev)
{
	json_t *o = json_object();

	for (unsigned i = 0; o && i < SW_UF__MAX; i++) {
		const char *why = sw_unread_name(ev->unread[i]);

		if (why && json_object_set_new(o, sw_unread_field_name(i),
					       json_string(why)) < 0) {
			json_decref(o);
			return NULL;
		}
	}
	return o;
}

/* Whether a string field is on the line and was cut. */
static bool cut(const struct sw_event *ev, const char *s, unsigned field)
{
	return (ev->have & field) && s && (ev->cut & field);
}

static int put_process(struct sw_emit *em, json_t *o, const struct sw_event *ev)
{
	int r = set(o, "pid", json_integer(ev->pid));

	if (!r && ev->tid != ev->pid)
		r = set(o, "tid", json_integer(ev->tid));
	if (!r && (ev->have & SW_HAVE_PPID))
		r = set(o, "ppid", json_integer(ev->ppid));
	if (!r && ev->type == SW_EV_COMM)
		r = set_str(em, o, "comm", ev->u.comm.comm);
	else if (!r && (ev->have & SW_HAVE_COMM))
		r = set_str(em, o, "comm", ev->comm);
	if (!r && ev->type != SW_EV_COMM && cut(ev, ev->comm, SW_HAVE_COMM))
		r = set(o, "comm_truncated", json_true());
	if (!r && (ev->have & SW_HAVE_EXE))
		r = set_str(em, o, "exe", ev->exe);
	if (!r && cut(ev, ev->exe, SW_HAVE_EXE))
		r = set(o, "exe_truncated", json_true());
	if (!r && (ev->have & SW_HAVE_CWD))
		r = set_str(em, o, "cwd", ev->cwd);
	if (!r && cut(ev, ev->cwd, SW_HAVE_CWD))
		r = set(o, "cwd_truncated", json_true());
	if (!r && (ev->have & SW_HAVE_ARGV) && ev->argv) {
		r = set(o, "argv", sw_json_argv(em, ev->argv, ev->argv_len));
		if (!r && (ev->cut & SW_HAVE_ARGV))
			r = set(o, "argv_truncated", json_true());
		if (!r && (ev->cut & SW_HAVE_ARGV))
			r = set(o, "argv_len", json_integer(
					(json_int_t)sw_event_argv_size(ev)));
	}
	if (!r && (ev->have & SW_HAVE_CREDS)) {
		r = set(o, "uid", json_integer(ev->uid));
		r = r ? r : set(o, "euid", json_integer(ev->euid));
		r = r ? r : set(o, "gid", json_integer(ev->gid));
		r = r ? r : set(o, "egid", json_integer(ev->egid));
		r = r ? r : set_str(em, o, "user", ev->user);
	}
	if (!r && ev->n_ancestry)
		r = set(o, "ancestry", sw_json_ancestry(em, ev));
	if (!r && ev->ancestry_cut)
		r = set(o, "ancestry_truncated", json_true());
	if (!r && ev->container_id)
		r = set(o, "container", sw_json_container(em, ev));
	if (!r && (ev->have & SW_HAVE_NET))
		r = set(o, "net", sw_json_net(em, ev));
	if (!r && ev->type == SW_EV_EXEC && (ev->have & SW_HAVE_NS))
		r = set(o, "ns", sw_json_ns(ev->mntns, ev->pidns));
	if (!r && sw_event_has_unread(ev))
		r = set(o, "unread", unread_object(ev));
	return r;
}

static int put_tags(json_t *o, const struct sw_event *ev)
{
	return ev->n_tags ? set(o, "tags", sw_json_tags(ev)) : 0;
}

static int put_exit(json_t *o, const struct sw_event *ev)
{
	char sig[32];
	int r = 0;

	if (ev->u.exit.signal == 0)
		r = set(o, "exit_code", json_integer(ev->u.exit.exit_code));
	else
		r = set(o, "signal", json_string(sw_emit_signame(
			ev->u.exit.signal, sig, sizeof(sig))));
	r = r ? r : set(o, "core", json_boolean(ev->u.exit.core));
	if (!r && (ev->have & SW_HAVE_DURATION))
		r = set(o, "duration_s", sw_json_duration(ev->duration_s));
	return r;
}

static int put_kind(struct sw_emit *em, json_t *o, const struct sw_event *ev)
{
	const bool uid = ev->type == SW_EV_UID;

	switch (ev->type) {
	case SW_EV_FORK:
		return set(o, "thread", json_boolean(ev->thread));
	case SW_EV_EXIT:
		if (set(o, "thread", json_boolean(ev->thread)) < 0)
			return -ENOMEM;
		return put_exit(o, ev);
	case SW_EV_UID:
	case SW_EV_GID:
		if (!ev->u.id.have_prev)
			return 0;
		if (set(o, uid ? "prev_uid" : "prev_gid",
			json_integer(ev->u.id.prev_r)) < 0)
			return -ENOMEM;
		return set(o, uid ? "prev_euid" : "prev_egid",
			   json_integer(ev->u.id.prev_e));
	case SW_EV_SID:
		return set(o, "sid", json_integer(ev->pid));
	case SW_EV_PTRACE:
		if (ev->u.ptrace.tracer_pid &&
		    (set(o, "tracer_pid", json_integer(ev->u.ptrace.tracer_pid)) < 0 ||
		     set_str(em, o, "tracer_comm", ev->u.ptrace.tracer_comm) < 0 ||
		     set_str(em, o, "tracer_exe", ev->u.ptrace.tracer_exe) < 0))
			return -ENOMEM;
		return set(o, "attach", json_boolean(ev->u.ptrace.tracer_pid != 0));
	case SW_EV_COMM:
		return ev->u.comm.have_prev
			       ? set_str(em, o, "prev_comm", ev->u.comm.prev)
			       : 0;
	case SW_EV_REPARENT:
		return set(o, "prev_ppid", json_integer(ev->u.reparent.prev_ppid));
	case SW_EV_ANOMALY:
		if (set(o, "tag", json_string(ev->u.anomaly.tag)) < 0)
			return -ENOMEM;
		return set(o, "detail", sw_json_anomaly_detail(ev));
	case SW_EV_LOST:
		if (set(o, "count", ev->u.lost.count < 0
					    ? json_null()
					    : json_integer(ev->u.lost.count)) < 0)
			return -ENOMEM;
		return set(o, "reason", json_string(ev->u.lost.reason));
	default:
		return 0;
	}
}

static int put_start(json_t *o, const struct sw_start_info *si)
{
	if (set(o, "version", json_string(si->version)) < 0 ||
	    set(o, "kernel", json_string(si->kernel)) < 0 ||
	    set(o, "filter", sw_json_filter(si)) < 0 ||
	    set(o, "tracked", json_integer(si->tracked)) < 0)
		return -ENOMEM;
	if (si->mntns && set(o, "ns", sw_json_ns(si->mntns, si->pidns)) < 0)
		return -ENOMEM;
	return set(o, "rcvbuf", json_integer(si->rcvbuf));
}

static int build(struct sw_emit *em, json_t *o, const struct sw_event *ev)
{
	char ts[64];

	sw_emit_ts(em, ev->ktime_ns, ts, sizeof(ts));
	if (set(o, "ts", json_string(ts)) < 0 ||
	    set(o, "seq", json_integer((json_int_t)em->seq)) < 0 ||
	    set_str(em, o, "host", em->host) < 0 ||
	    set(o, "event", json_string(sw_event_name(ev->type))) < 0)
		return -ENOMEM;
	if (sw_event_is_process(ev->type) && put_process(em, o, ev) < 0)
		return -ENOMEM;
	if (put_tags(o, ev) < 0 || put_kind(em, o, ev) < 0)
		return -ENOMEM;
	if (ev->type == SW_EV_RESYNC &&
	    (set(o, "added", json_integer(ev->u.resync.added)) < 0 ||
	     set(o, "removed", json_integer(ev->u.resync.removed)) < 0 ||
	     set(o, "reparented", json_integer(ev->u.resync.reparented)) < 0 ||
	     set(o, "tracked", json_integer(ev->u.resync.tracked)) < 0))
		return -ENOMEM;
	if (ev->type == SW_EV_START && ev->start)
		return put_start(o, ev->start);
	if (ev->type == SW_EV_STOP && ev->stats)
		return set(o, "stats", sw_json_stats(ev->stats));
	return 0;
}

static int json_format(struct sw_emit *em, const struct sw_event *ev,
		       struct sw_buf *out)
{
	json_t *o = json_object();
	int r;

	if (!o)
		return -ENOMEM;
	r = build(em, o, ev);
	if (r == 0)
		r = sw_json_dump(o, out);
	json_decref(o);
	return r;
}

/* Every kind of line: the oracle of emit_json_fast.c, in tests and fuzzers. */
const struct sw_emitter_ops sw_emit_json_ref_ops = {
	.name = "json-ref",
	.flags = SW_EMIT_F_DOCUMENT | SW_EMIT_F_FOREST_JSON,
	.format = json_format,
};
