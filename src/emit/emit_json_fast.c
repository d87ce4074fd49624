/* SPDX-License-Identifier: MIT */
/*
 * --format json: every line, written straight into the output buffer by
 * the JSON writer (jsonw.h): the keys common to every line and those of
 * each kind of event here, those of the start, stop and resync lines in
 * emit_json_run.c.  The bytes are those of the jansson builder of
 * emit_json_ref.c (sw_emit_json_ref_ops, the test oracle): the same keys in
 * the same order, the same failures.
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "emit.h"
#include "emit_json_int.h"
#include "jsonw.h"

void sw_emit_json_ancestry(struct sw_jsonw *w, const struct sw_event *ev)
{
	JW_LIT(w, ",\"ancestry\":[");
	for (unsigned i = 0; i < ev->n_ancestry; i++) {
		const struct sw_ancestor *a = &ev->ancestry[i];

		if (i)
			JW_LIT(w, ",");
		JW_INT(w, "{\"pid\":", a->pid);
		JW_HOSTILE(w, ",\"comm\":", a->comm);
		JW_HOSTILE(w, ",\"exe\":", a->exe);
		if (sw_event_ancestor_cut(ev, i))
			JW_LIT(w, ",\"exe_truncated\":true");
		JW_LIT(w, "}");
	}
	JW_LIT(w, "]");
}

/* Why fields /proc was asked for are missing: {"argv":"proc_timeout"}. */
static void put_unread(struct sw_jsonw *w, const struct sw_event *ev)
{
	bool first = true;

	JW_LIT(w, ",\"unread\":{");
	for (unsigned i = 0; i < SW_UF__MAX; i++) {
		const char *why = sw_unread_name(ev->unread[i]);
		const char *f = sw_unread_field_name(i);

		if (!why)
			continue;
		if (!first)
			JW_LIT(w, ",");
		first = false;
		JW_LIT(w, "\"");
		sw_jsonw_raw(w, f, strlen(f));
		JW_LIT(w, "\":\"");
		sw_jsonw_raw(w, why, strlen(why));
		JW_LIT(w, "\"");
	}
	JW_LIT(w, "}");
}

/* A process's string under key, and mark after it when it was cut. */
static void put_cut_str(struct sw_jsonw *w, const char *key, const char *mark,
			const char *s, bool cut)
{
	sw_jsonw_key_hostile(w, key, strlen(key), s);
	if (s && cut)
		sw_jsonw_raw(w, mark, strlen(mark));
}

static void put_process(struct sw_jsonw *w, const struct sw_event *ev)
{
	JW_INT(w, ",\"pid\":", ev->pid);
	if (ev->tid != ev->pid)
		JW_INT(w, ",\"tid\":", ev->tid);
	if (ev->have & SW_HAVE_PPID)
		JW_INT(w, ",\"ppid\":", ev->ppid);
	if (ev->type == SW_EV_COMM)
		JW_HOSTILE(w, ",\"comm\":", ev->u.comm.comm);
	else if (ev->have & SW_HAVE_COMM)
		put_cut_str(w, ",\"comm\":", ",\"comm_truncated\":true", ev->comm,
			    ev->cut & SW_HAVE_COMM);
	if (ev->have & SW_HAVE_EXE)
		put_cut_str(w, ",\"exe\":", ",\"exe_truncated\":true", ev->exe,
			    ev->cut & SW_HAVE_EXE);
	if (ev->have & SW_HAVE_CWD)
		put_cut_str(w, ",\"cwd\":", ",\"cwd_truncated\":true", ev->cwd,
			    ev->cut & SW_HAVE_CWD);
	if ((ev->have & SW_HAVE_ARGV) && ev->argv) {
		JW_LIT(w, ",\"argv\":[");
		sw_emit_json_argv(w, ev->argv, ev->argv_len);
		JW_LIT(w, "]");
		if (ev->cut & SW_HAVE_ARGV) {
			JW_LIT(w, ",\"argv_truncated\":true");
			JW_INT(w, ",\"argv_len\":", (long long)sw_event_argv_size(ev));
		}
	}
	if (ev->have & SW_HAVE_CREDS) {
		JW_INT(w, ",\"uid\":", ev->uid);
		JW_INT(w, ",\"euid\":", ev->euid);
		JW_INT(w, ",\"gid\":", ev->gid);
		JW_INT(w, ",\"egid\":", ev->egid);
		JW_HOSTILE(w, ",\"user\":", ev->user);
	}
	if (ev->n_ancestry)
		sw_emit_json_ancestry(w, ev);
	if (ev->ancestry_cut)
		JW_LIT(w, ",\"ancestry_truncated\":true");
	if (ev->container_id) {
		JW_HOSTILE(w, ",\"container\":{\"id\":", ev->container_id);
		JW_STRICT(w, ",\"runtime\":", ev->container_runtime);
		JW_LIT(w, "}");
	}
	if (ev->have & SW_HAVE_NET)
		sw_emit_json_net(w, ev);
	if (ev->type == SW_EV_EXEC && (ev->have & SW_HAVE_NS)) {
		JW_INT(w, ",\"ns\":{\"mnt\":", (long long)ev->mntns);
		JW_INT(w, ",\"pid\":", (long long)ev->pidns);
		JW_LIT(w, "}");
	}
	if (sw_event_has_unread(ev))
		put_unread(w, ev);
}

void sw_emit_json_detail(struct sw_jsonw *w, const struct sw_event *ev)
{
	JW_INT(w, ",\"detail\":{\"count\":", ev->u.anomaly.count);
	JW_INT(w, ",\"threshold\":", ev->u.anomaly.threshold);
	if (ev->u.anomaly.window_s > 0) {
		JW_LIT(w, ",\"window_s\":");
		sw_jsonw_real(w, ev->u.anomaly.window_s);
	}
	JW_LIT(w, ",\"oldest_s\":");
	sw_jsonw_scaled(w, sw_emit_seconds(ev->u.anomaly.oldest_s, 1000), 3);
	JW_LIT(w, "}");
}

void sw_emit_json_net(struct sw_jsonw *w, const struct sw_event *ev)
{
	const char *via = sw_net_via_name(ev->net.via);

	/* inet_ntop's text, but written as hostile: a byte never fails a line. */
	JW_HOSTILE(w, ",\"net\":{\"peer\":", ev->net.peer);
	JW_INT(w, ",\"port\":", ev->net.port);
	JW_STRICT(w, ",\"proto\":", ev->net.udp ? "udp" : "tcp");
	JW_STRICT(w, ",\"via\":", via ? via : "stdio");
	if (ev->net.holder)
		JW_INT(w, ",\"holder\":", ev->net.holder);
	JW_LIT(w, "}");
}

static void put_kind(struct sw_jsonw *w, const struct sw_event *ev)
{
	switch (ev->type) {
	case SW_EV_SID:
		JW_INT(w, ",\"sid\":", ev->pid);
		break;
	case SW_EV_PTRACE:
		if (ev->u.ptrace.tracer_pid) {
			JW_INT(w, ",\"tracer_pid\":", ev->u.ptrace.tracer_pid);
			JW_HOSTILE(w, ",\"tracer_comm\":",
				    ev->u.ptrace.tracer_comm);
			JW_HOSTILE(w, ",\"tracer_exe\":",
				    ev->u.ptrace.tracer_exe);
		}
		JW_BOOL(w, ",\"attach\":", ev->u.ptrace.tracer_pid != 0);
		break;
	case SW_EV_ANOMALY:
		JW_STRICT(w, ",\"tag\":", ev->u.anomaly.tag);
		sw_emit_json_detail(w, ev);
		break;
	case SW_EV_LOST:
		if (ev->u.lost.count < 0)
			JW_LIT(w, ",\"count\":null");
		else
			JW_INT(w, ",\"count\":", ev->u.lost.count);
		JW_STRICT(w, ",\"reason\":", ev->u.lost.reason);
		break;
	default:
		sw_emit_json_kind(w, ev, true);
		break;
	}
}

static int json_write(struct sw_emit *em, const struct sw_event *ev,
		      struct sw_buf *out)
{
	struct sw_jsonw w = { .b = out };
	size_t mark = out->len;

	JW_TS(em, &w, ev, "{\"ts\":");
	JW_INT(&w, ",\"seq\":", (long long)em->seq);
	JW_HOSTILE(&w, ",\"host\":", em->host);
	JW_STRICT(&w, ",\"event\":", sw_event_name(ev->type));
	if (sw_event_is_process(ev->type))
		put_process(&w, ev);
	sw_emit_json_tags(&w, ev);
	put_kind(&w, ev);
	sw_emit_json_run(&w, ev);
	JW_LIT(&w, "}\n");
	return sw_jsonw_finish(&w, mark);
}

const struct sw_emitter_ops sw_emit_json_ops = {
	.name = "json",
	.flags = SW_EMIT_F_DOCUMENT | SW_EMIT_F_FOREST_JSON,
	.format = json_write,
	.truncate = sw_emit_cut_document,
};
