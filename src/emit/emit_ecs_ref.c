/* SPDX-License-Identifier: MIT */
/*
 * The oracle of --format ecs (sw_emit_ecs_ref_ops): each line built as a
 * jansson object tree with the builders of emit_json.c, which the JSON
 * writer's ECS emitter (emit_ecs.c) is tested and fuzzed against byte for
 * byte.  Built into the unit tests and the fuzzers only (libswref.a).
 *
 * The events of the JSON format as Elastic
 * Common Schema 8.x documents, one per line, nested as ECS nests them.
 * What ECS has a field for goes in that field; the rest of what the JSON
 * format carries goes under the custom "spawnwatch" object, so that
 * nothing is lost.  The ECS fields used, with their types, are listed in
 * tests/ecs/fields.txt; the unit test holds the output to that list.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "emit.h"
#include "emit_json.h"
#include "stats.h"

#define ECS_VERSION "8.11.0"

/*
 * event.type of the process events (those the JSON format gives process
 * fields), NULL for spawnwatch's own lines: those fit no ECS category, so
 * they carry neither event.category nor event.type.  With category
 * "process" ECS expects access, change, end, info or start.
 */
static const char *const ecs_type[SW_EV__MAX] = {
	[SW_EV_FORK] = "start",
	[SW_EV_EXEC] = "start",
	[SW_EV_EXIT] = "end",
	[SW_EV_UID] = "change",
	[SW_EV_GID] = "change",
	[SW_EV_SID] = "change",
	[SW_EV_PTRACE] = "access",
	[SW_EV_COMM] = "change",
	[SW_EV_COREDUMP] = "info",
	[SW_EV_REPARENT] = "change",
	[SW_EV_ANOMALY] = "info",
};

/* Sets o[key], taking v; key is one of this file's literals. */
static int set(json_t *o, const char *key, json_t *v)
{
	return v && json_object_set_new_nocheck(o, key, v) == 0 ? 0 : -ENOMEM;
}

static int set_str(struct sw_emit *em, json_t *o, const char *key,
		   const char *s)
{
	return s ? set(o, key, sw_json_hostile(em, s, strlen(s))) : 0;
}

static int set_ts(const struct sw_emit *em, json_t *o, const char *key,
		  uint64_t ktime_ns)
{
	char ts[64];

	sw_emit_ts(em, ktime_ns, ts, sizeof(ts));
	return set(o, key, json_string(ts));
}

/* {key: v}, taking v. */
static json_t *wrap(const char *key, json_t *v)
{
	json_t *o = json_object();

	if (o && set(o, key, v) == 0)
		return o;
	if (!o)
		json_decref(v);
	json_decref(o);
	return NULL;
}

/* {"id": "N"}: user and group ids are keywords in ECS, "0" and not 0. */
static json_t *id_object(uint32_t id)
{
	char b[16];

	snprintf(b, sizeof(b), "%" PRIu32, id);
	return wrap("id", json_string(b));
}

static json_t *one(const char *s)
{
	json_t *a = json_array();

	if (a && json_array_append_new(a, json_string(s)) < 0) {
		json_decref(a);
		return NULL;
	}
	return a;
}

/* process.command_line: the arguments as made valid, joined by spaces. */
static json_t *command_line(struct sw_emit *em, json_t *args)
{
	json_t *v;
	size_t i;

	em->scratch.len = 0;
	json_array_foreach(args, i, v) {
		if ((i && sw_buf_putc(&em->scratch, ' ') < 0) ||
		    sw_buf_append(&em->scratch, json_string_value(v),
				  json_string_length(v)) < 0)
			return NULL;
	}
	/* Each piece is valid UTF-8 already, and so is the whole. */
	return json_stringn_nocheck(em->scratch.len ? em->scratch.data : "",
				    em->scratch.len);
}

static int put_event(struct sw_emit *em, json_t *root,
		     const struct sw_event *ev)
{
	const char *type = ecs_type[ev->type];
	/* What a rule flagged is an alert, as ECS has it for detections. */
	const bool alert = ev->n_tags || ev->type == SW_EV_ANOMALY;
	json_t *e = json_object();

	if (set(root, "event", e) < 0 ||
	    set(e, "kind", json_string(alert ? "alert" : "event")) < 0)
		return -ENOMEM;
	if (type && (set(e, "category", one("process")) < 0 ||
		     set(e, "type", one(type)) < 0))
		return -ENOMEM;
	if (set(e, "action", json_string(sw_event_name(ev->type))) < 0 ||
	    set(e, "sequence", json_integer((json_int_t)em->seq)) < 0 ||
	    set(e, "module", json_string("spawnwatch")) < 0 ||
	    set(e, "dataset", json_string("spawnwatch.process")) < 0)
		return -ENOMEM;
	return 0;
}

static int put_host(struct sw_emit *em, json_t *root, const struct sw_event *ev)
{
	json_t *h = json_object();

	/* host.name too: it is what Kibana's host views group by. */
	if (set(root, "host", h) < 0 ||
	    set_str(em, h, "hostname", em->host) < 0 ||
	    set_str(em, h, "name", em->host) < 0)
		return -ENOMEM;
	if (ev->type == SW_EV_START && ev->start &&
	    set(h, "os", wrap("kernel", json_string(ev->start->kernel))) < 0)
		return -ENOMEM;
	return 0;
}

/* The parent: its pid, and its name and exe when the ancestry has them. */
static int put_parent(struct sw_emit *em, json_t *p, const struct sw_event *ev)
{
	const struct sw_ancestor *a = &ev->ancestry[0];
	json_t *par = json_object();

	if (set(p, "parent", par) < 0 ||
	    set(par, "pid", json_integer(ev->ppid)) < 0)
		return -ENOMEM;
	/* At exit ppid is the kernel's, which may not be the first ancestor. */
	if (!ev->n_ancestry || a->pid != ev->ppid)
		return 0;
	if (set_str(em, par, "name", a->comm) < 0 ||
	    set_str(em, par, "executable", a->exe) < 0)
		return -ENOMEM;
	return 0;
}

/* spawnwatch.<field>_truncated: what ECS has no field for. */
static int put_cuts(json_t *sw, const struct sw_event *ev)
{
	bool comm = ev->type != SW_EV_COMM && (ev->have & SW_HAVE_COMM) && ev->comm;
	bool exe = (ev->have & SW_HAVE_EXE) && ev->exe;
	bool cwd = (ev->have & SW_HAVE_CWD) && ev->cwd;
	bool argv = (ev->have & SW_HAVE_ARGV) && ev->argv;

	if (comm && (ev->cut & SW_HAVE_COMM) &&
	    set(sw, "comm_truncated", json_true()) < 0)
		return -ENOMEM;
	if (exe && (ev->cut & SW_HAVE_EXE) &&
	    set(sw, "exe_truncated", json_true()) < 0)
		return -ENOMEM;
	if (cwd && (ev->cut & SW_HAVE_CWD) &&
	    set(sw, "cwd_truncated", json_true()) < 0)
		return -ENOMEM;
	if (argv && (ev->cut & SW_HAVE_ARGV) &&
	    (set(sw, "argv_truncated", json_true()) < 0 ||
	     set(sw, "argv_len", json_integer((json_int_t)sw_event_argv_size(ev))) < 0))
		return -ENOMEM;
	return 0;
}

static int put_args(struct sw_emit *em, json_t *p, const struct sw_event *ev)
{
	json_t *args = sw_json_argv(em, ev->argv, ev->argv_len);

	/* Once set, p holds args: the pointer stays good for the two below. */
	if (set(p, "args", args) < 0 ||
	    set(p, "args_count",
		json_integer((json_int_t)json_array_size(args))) < 0 ||
	    set(p, "command_line", command_line(em, args)) < 0)
		return -ENOMEM;
	return 0;
}

/*
 * ECS's user is the effective one, real_user the real one; the top-level
 * user repeats process.user, where ECS rules for processes look for it.
 */
static int put_creds(struct sw_emit *em, json_t *root, json_t *p,
		     const struct sw_event *ev)
{
	json_t *u = id_object(ev->euid);

	if (set(p, "user", u) < 0 || set_str(em, u, "name", ev->user) < 0 ||
	    set(p, "real_user", id_object(ev->uid)) < 0 ||
	    set(p, "group", id_object(ev->egid)) < 0 ||
	    set(p, "real_group", id_object(ev->gid)) < 0)
		return -ENOMEM;
	return set(root, "user", json_deep_copy(u));
}

static int put_exit(struct sw_emit *em, json_t *p, const struct sw_event *ev)
{
	/* A thread's end is not its process's. */
	if (!ev->thread) {
		if (set_ts(em, p, "end", ev->ktime_ns) < 0)
			return -ENOMEM;
		/* ECS's uptime is whole seconds; duration_s keeps the rest. */
		if ((ev->have & SW_HAVE_DURATION) &&
		    set(p, "uptime",
			json_integer(sw_emit_seconds(ev->duration_s, 1000000) /
				     1000000)) < 0)
			return -ENOMEM;
	}
	if (ev->u.exit.signal == 0 &&
	    set(p, "exit_code", json_integer(ev->u.exit.exit_code)) < 0)
		return -ENOMEM;
	return 0;
}

/* spawnwatch.net: how the shell reaches its peer, which ECS has no field for. */
static int put_net_sw(json_t *sw, const struct sw_event *ev)
{
	const char *via = sw_net_via_name(ev->net.via);
	json_t *o = wrap("via", json_string(via ? via : "stdio"));

	if (set(sw, "net", o) < 0 ||
	    (ev->net.holder && set(o, "holder", json_integer(ev->net.holder)) < 0))
		return -ENOMEM;
	return 0;
}

/* destination and network: the peer a reverse shell connected to. */
static int put_net(struct sw_emit *em, json_t *root, const struct sw_event *ev)
{
	json_t *d = wrap("ip", sw_json_hostile(em, ev->net.peer, strlen(ev->net.peer)));
	json_t *n = wrap("transport", json_string(ev->net.udp ? "udp" : "tcp"));

	if (set(root, "destination", d) < 0 ||
	    set(d, "port", json_integer(ev->net.port)) < 0 ||
	    set(root, "network", n) < 0 ||
	    set(n, "type", json_string(strchr(ev->net.peer, ':') ? "ipv6" : "ipv4")) < 0 ||
	    set(n, "direction", json_string("egress")) < 0)
		return -ENOMEM;
	return 0;
}

/* process, user and container; what ECS has no field for goes into sw. */
static int put_process(struct sw_emit *em, json_t *root, json_t *sw,
		       const struct sw_event *ev)
{
	json_t *p = json_object();

	if (set(root, "process", p) < 0 ||
	    set(p, "pid", json_integer(ev->pid)) < 0)
		return -ENOMEM;
	if (ev->tid != ev->pid &&
	    set(p, "thread", wrap("id", json_integer(ev->tid))) < 0)
		return -ENOMEM;
	if ((ev->have & SW_HAVE_PPID) && put_parent(em, p, ev) < 0)
		return -ENOMEM;
	if (ev->type == SW_EV_COMM) {
		if (set_str(em, p, "name", ev->u.comm.comm) < 0)
			return -ENOMEM;
	} else if ((ev->have & SW_HAVE_COMM) &&
		   set_str(em, p, "name", ev->comm) < 0) {
		return -ENOMEM;
	}
	if ((ev->have & SW_HAVE_EXE) &&
	    set_str(em, p, "executable", ev->exe) < 0)
		return -ENOMEM;
	if ((ev->have & SW_HAVE_CWD) &&
	    set_str(em, p, "working_directory", ev->cwd) < 0)
		return -ENOMEM;
	if ((ev->have & SW_HAVE_ARGV) && ev->argv && put_args(em, p, ev) < 0)
		return -ENOMEM;
	if ((ev->have & SW_HAVE_CREDS) && put_creds(em, root, p, ev) < 0)
		return -ENOMEM;
	/* setsid() makes the caller the leader: the session id is its pid. */
	if (ev->type == SW_EV_SID &&
	    set(p, "session_leader", wrap("pid", json_integer(ev->pid))) < 0)
		return -ENOMEM;
	if ((ev->have & SW_HAVE_START) &&
	    set_ts(em, p, "start", ev->start_ns) < 0)
		return -ENOMEM;
	if (ev->type == SW_EV_EXIT && put_exit(em, p, ev) < 0)
		return -ENOMEM;
	if (ev->n_ancestry && set(sw, "ancestry", sw_json_ancestry(em, ev)) < 0)
		return -ENOMEM;
	if (ev->ancestry_cut && set(sw, "ancestry_truncated", json_true()) < 0)
		return -ENOMEM;
	if (ev->container_id &&
	    set(root, "container", sw_json_container(em, ev)) < 0)
		return -ENOMEM;
	if (ev->type == SW_EV_EXEC && (ev->have & SW_HAVE_NS) &&
	    set(sw, "ns", sw_json_ns(ev->mntns, ev->pidns)) < 0)
		return -ENOMEM;
	if ((ev->have & SW_HAVE_NET) && put_net_sw(sw, ev) < 0)
		return -ENOMEM;
	return put_cuts(sw, ev);
}

static json_t *tracer_object(struct sw_emit *em, const struct sw_event *ev)
{
	json_t *t = wrap("pid", json_integer(ev->u.ptrace.tracer_pid));

	if (t && (set_str(em, t, "comm", ev->u.ptrace.tracer_comm) < 0 ||
		  set_str(em, t, "executable", ev->u.ptrace.tracer_exe) < 0)) {
		json_decref(t);
		return NULL;
	}
	return t;
}

static json_t *lost_object(const struct sw_event *ev)
{
	json_t *l = wrap("count", ev->u.lost.count < 0
					  ? json_null()
					  : json_integer(ev->u.lost.count));

	if (l && set(l, "reason", json_string(ev->u.lost.reason)) < 0) {
		json_decref(l);
		return NULL;
	}
	return l;
}

static json_t *resync_object(const struct sw_event *ev)
{
	json_t *o = wrap("added", json_integer(ev->u.resync.added));

	if (o && (set(o, "removed", json_integer(ev->u.resync.removed)) < 0 ||
		  set(o, "reparented",
		      json_integer(ev->u.resync.reparented)) < 0 ||
		  set(o, "tracked", json_integer(ev->u.resync.tracked)) < 0)) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static int put_start(json_t *sw, const struct sw_start_info *si)
{
	if (set(sw, "filter", sw_json_filter(si)) < 0 ||
	    set(sw, "tracked", json_integer(si->tracked)) < 0)
		return -ENOMEM;
	if (si->mntns && set(sw, "ns", sw_json_ns(si->mntns, si->pidns)) < 0)
		return -ENOMEM;
	return set(sw, "rcvbuf", json_integer(si->rcvbuf));
}

/* The fields of one kind of event that ECS has no place for. */
static int put_kind(struct sw_emit *em, json_t *sw, const struct sw_event *ev)
{
	const bool uid = ev->type == SW_EV_UID;
	char sig[32];

	switch (ev->type) {
	case SW_EV_FORK:
		return set(sw, "thread", json_boolean(ev->thread));
	case SW_EV_EXIT:
		if (set(sw, "thread", json_boolean(ev->thread)) < 0 ||
		    (ev->u.exit.signal &&
		     set(sw, "signal", json_string(sw_emit_signame(
				ev->u.exit.signal, sig, sizeof(sig)))) < 0) ||
		    set(sw, "core", json_boolean(ev->u.exit.core)) < 0)
			return -ENOMEM;
		if (ev->have & SW_HAVE_DURATION)
			return set(sw, "duration_s",
				   sw_json_duration(ev->duration_s));
		return 0;
	case SW_EV_UID:
	case SW_EV_GID:
		if (!ev->u.id.have_prev)
			return 0;
		if (set(sw, uid ? "prev_uid" : "prev_gid",
			json_integer(ev->u.id.prev_r)) < 0)
			return -ENOMEM;
		return set(sw, uid ? "prev_euid" : "prev_egid",
			   json_integer(ev->u.id.prev_e));
	case SW_EV_PTRACE:
		if (ev->u.ptrace.tracer_pid &&
		    set(sw, "tracer", tracer_object(em, ev)) < 0)
			return -ENOMEM;
		return set(sw, "attach",
			   json_boolean(ev->u.ptrace.tracer_pid != 0));
	case SW_EV_COMM:
		return ev->u.comm.have_prev
			       ? set_str(em, sw, "prev_comm", ev->u.comm.prev)
			       : 0;
	case SW_EV_REPARENT:
		return set(sw, "prev_ppid",
			   json_integer(ev->u.reparent.prev_ppid));
	case SW_EV_ANOMALY:
		return set(sw, "detail", sw_json_anomaly_detail(ev));
	case SW_EV_LOST:
		return set(sw, "lost", lost_object(ev));
	case SW_EV_RESYNC:
		return set(sw, "resync", resync_object(ev));
	case SW_EV_START:
		return ev->start ? put_start(sw, ev->start) : 0;
	case SW_EV_STOP:
		return ev->stats ? set(sw, "stats", sw_json_stats(ev->stats))
				 : 0;
	default:
		return 0;
	}
}

static int build(struct sw_emit *em, json_t *root, json_t *sw,
		 const struct sw_event *ev)
{
	if (set_ts(em, root, "@timestamp", ev->ktime_ns) < 0 ||
	    set(root, "ecs", wrap("version", json_string(ECS_VERSION))) < 0 ||
	    put_event(em, root, ev) < 0 || put_host(em, root, ev) < 0)
		return -ENOMEM;
	if (ev->type == SW_EV_START && ev->start) {
		json_t *agent = wrap("type", json_string("spawnwatch"));

		if (set(root, "agent", agent) < 0 ||
		    set(agent, "version", json_string(ev->start->version)) < 0)
			return -ENOMEM;
	}
	if (ecs_type[ev->type] && put_process(em, root, sw, ev) < 0)
		return -ENOMEM;
	if (ecs_type[ev->type] && (ev->have & SW_HAVE_NET) && put_net(em, root, ev) < 0)
		return -ENOMEM;
	if (ev->type == SW_EV_ANOMALY) {
		json_t *rule = wrap("name", json_string(ev->u.anomaly.tag));

		if (set(root, "rule", rule) < 0 ||
		    set(rule, "ruleset", json_string("spawnwatch")) < 0)
			return -ENOMEM;
	}
	if (ev->n_tags && set(root, "tags", sw_json_tags(ev)) < 0)
		return -ENOMEM;
	return put_kind(em, sw, ev);
}

static int ecs_format(struct sw_emit *em, const struct sw_event *ev,
		      struct sw_buf *out)
{
	json_t *root = json_object(), *sw = json_object();
	int r = -ENOMEM;

	if (!root || !sw)
		goto out;
	r = build(em, root, sw, ev);
	/* Built apart: it comes last, and only when it holds anything. */
	if (r == 0 && json_object_size(sw))
		r = set(root, "spawnwatch", json_incref(sw));
	if (r == 0)
		r = sw_json_dump(root, out);
out:
	json_decref(sw);
	json_decref(root);
	return r;
}

const struct sw_emitter_ops sw_emit_ecs_ref_ops = {
	.name = "ecs-ref",
	.flags = SW_EMIT_F_DOCUMENT,
	.format = ecs_format,
	.truncate = sw_emit_cut_document,
};
