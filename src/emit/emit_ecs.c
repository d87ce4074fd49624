/* SPDX-License-Identifier: MIT */
/*
 * --format ecs: the events of the JSON format as Elastic Common Schema 8.x
 * documents, one per line, nested as ECS nests them, written straight into
 * the output buffer by the JSON writer (jsonw.h).  What ECS has a field for
 * goes in that field; the rest of what the JSON format carries goes under
 * the custom "spawnwatch" object, so that nothing is lost.  The ECS fields
 * used, with their types, are listed in tests/ecs/fields.txt; the unit test
 * holds the output to that list.  The process fields are in
 * emit_ecs_process.c.
 *
 * The bytes are those of the jansson builder of emit_ecs_ref.c
 * (sw_emit_ecs_ref_ops, the test oracle): the same keys in the same order,
 * the same failures.
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "emit.h"
#include "emit_ecs.h"
#include "emit_json_int.h"
#include "jsonw.h"
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

static void put_event(struct sw_emit *em, struct sw_jsonw *w,
		      const struct sw_event *ev)
{
	const char *type = ecs_type[ev->type];
	/* What a rule flagged is an alert, as ECS has it for detections. */
	const bool alert = ev->n_tags || ev->type == SW_EV_ANOMALY;

	if (alert)
		JW_LIT(w, ",\"event\":{\"kind\":\"alert\"");
	else
		JW_LIT(w, ",\"event\":{\"kind\":\"event\"");
	if (type) {
		JW_LIT(w, ",\"category\":[\"process\"]");
		JW_STRICT(w, ",\"type\":[", type);
		JW_LIT(w, "]");
	}
	JW_STRICT(w, ",\"action\":", sw_event_name(ev->type));
	JW_INT(w, ",\"sequence\":", (long long)em->seq);
	JW_LIT(w, ",\"module\":\"spawnwatch\""
		  ",\"dataset\":\"spawnwatch.process\"}");
}

static void put_host(struct sw_emit *em, struct sw_jsonw *w,
		     const struct sw_event *ev)
{
	/* host.name too: it is what Kibana's host views group by. */
	JW_HOSTILE(w, ",\"host\":{\"hostname\":", em->host);
	JW_HOSTILE(w, ",\"name\":", em->host);
	if (ev->type == SW_EV_START && ev->start) {
		JW_STRICT(w, ",\"os\":{\"kernel\":", ev->start->kernel);
		JW_LIT(w, "}");
	}
	JW_LIT(w, "}");
}

static void put_lost(struct sw_jsonw *w, const struct sw_event *ev)
{
	if (ev->u.lost.count < 0)
		JW_LIT(w, ",\"lost\":{\"count\":null");
	else
		JW_INT(w, ",\"lost\":{\"count\":", ev->u.lost.count);
	JW_STRICT(w, ",\"reason\":", ev->u.lost.reason);
	JW_LIT(w, "}");
}

static void put_resync(struct sw_jsonw *w, const struct sw_event *ev)
{
	JW_INT(w, ",\"resync\":{\"added\":", ev->u.resync.added);
	JW_INT(w, ",\"removed\":", ev->u.resync.removed);
	JW_INT(w, ",\"reparented\":", ev->u.resync.reparented);
	JW_INT(w, ",\"tracked\":", ev->u.resync.tracked);
	JW_LIT(w, "}");
}

static void put_ptrace(struct sw_jsonw *w, const struct sw_event *ev)
{
	if (ev->u.ptrace.tracer_pid) {
		JW_INT(w, ",\"tracer\":{\"pid\":", ev->u.ptrace.tracer_pid);
		JW_HOSTILE(w, ",\"comm\":", ev->u.ptrace.tracer_comm);
		JW_HOSTILE(w, ",\"executable\":", ev->u.ptrace.tracer_exe);
		JW_LIT(w, "}");
	}
	JW_BOOL(w, ",\"attach\":", ev->u.ptrace.tracer_pid != 0);
}

/* destination and network: the peer a reverse shell connected to. */
static void put_net(struct sw_jsonw *w, const struct sw_event *ev)
{
	JW_HOSTILE(w, ",\"destination\":{\"ip\":", ev->net.peer);
	JW_INT(w, ",\"port\":", ev->net.port);
	JW_STRICT(w, "},\"network\":{\"transport\":", ev->net.udp ? "udp" : "tcp");
	JW_STRICT(w, ",\"type\":", strchr(ev->net.peer, ':') ? "ipv6" : "ipv4");
	JW_LIT(w, ",\"direction\":\"egress\"}");
}

/* The fields of one kind of event that ECS has no place for. */
static void put_kind(struct sw_jsonw *w, const struct sw_event *ev)
{
	switch (ev->type) {
	case SW_EV_PTRACE:
		put_ptrace(w, ev);
		break;
	case SW_EV_ANOMALY:
		sw_emit_json_detail(w, ev);
		break;
	case SW_EV_LOST:
		put_lost(w, ev);
		break;
	case SW_EV_RESYNC:
		put_resync(w, ev);
		break;
	case SW_EV_START:
		if (ev->start)
			sw_emit_json_start(w, ev->start);
		break;
	case SW_EV_STOP:
		if (ev->stats)
			sw_emit_json_stats(w, ev->stats);
		break;
	default:
		/* An exit's code is process.exit_code. */
		sw_emit_json_kind(w, ev, false);
		break;
	}
}

/*
 * The custom "spawnwatch" object: last, and only when it holds anything.
 * Each of its keys is written with a ',' before it: the first of those
 * becomes the '{', and with none the key goes too.
 */
static void put_spawnwatch(struct sw_jsonw *w, const struct sw_event *ev)
{
	const size_t mark = w->b->len;
	size_t body;

	JW_LIT(w, ",\"spawnwatch\":");
	body = w->b->len;
	if (ecs_type[ev->type])
		sw_emit_ecs_process_sw(w, ev);
	put_kind(w, ev);
	if (w->err)
		return;
	if (w->b->len == body) {
		w->b->len = mark;
		return;
	}
	w->b->data[body] = '{';
	JW_LIT(w, "}");
}

static int ecs_write(struct sw_emit *em, const struct sw_event *ev,
		     struct sw_buf *out)
{
	struct sw_jsonw w = { .b = out };
	size_t mark = out->len;

	JW_TS(em, &w, ev, "{\"@timestamp\":");
	JW_LIT(&w, ",\"ecs\":{\"version\":\"" ECS_VERSION "\"}");
	put_event(em, &w, ev);
	put_host(em, &w, ev);
	if (ev->type == SW_EV_START && ev->start) {
		JW_STRICT(&w, ",\"agent\":{\"type\":\"spawnwatch\",\"version\":",
			  ev->start->version);
		JW_LIT(&w, "}");
	}
	if (ecs_type[ev->type])
		sw_emit_ecs_process(em, &w, ev);
	if (ecs_type[ev->type] && (ev->have & SW_HAVE_NET))
		put_net(&w, ev);
	if (ev->type == SW_EV_ANOMALY) {
		JW_STRICT(&w, ",\"rule\":{\"name\":", ev->u.anomaly.tag);
		JW_LIT(&w, ",\"ruleset\":\"spawnwatch\"}");
	}
	sw_emit_json_tags(&w, ev);
	put_spawnwatch(&w, ev);
	JW_LIT(&w, "}\n");
	return sw_jsonw_finish(&w, mark);
}

const struct sw_emitter_ops sw_emit_ecs_ops = {
	.name = "ecs",
	.flags = SW_EMIT_F_DOCUMENT,
	.format = ecs_write,
	.truncate = sw_emit_cut_document,
};
