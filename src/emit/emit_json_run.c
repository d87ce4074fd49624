/* SPDX-License-Identifier: MIT */
/*
 * The keys of the JSON lines about the run itself: the start line's
 * version, filter and namespaces, the stop line's statistics, the figures
 * of a resync.  Key for key as emit_json.c builds them (sw_json_filter(),
 * sw_json_stats()), which the tests hold this to.  The filter and the
 * statistics are the ECS emitter's too (emit_ecs.c).
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "emit.h"
#include "jsonw.h"
#include "stats.h"

/* One of spawnwatch's own names as a key, and its count. */
static void put_count(struct sw_jsonw *w, bool first, const char *name,
		      uint64_t v)
{
	if (!first)
		JW_LIT(w, ",");
	if (!name) {
		if (!w->err)
			w->err = -EINVAL;
		return;
	}
	sw_jsonw_string(w, name, strlen(name), true);
	JW_INT(w, ":", (long long)v);
}

void sw_emit_json_filter(struct sw_jsonw *w, const struct sw_start_info *si)
{
	bool first = true;

	JW_LIT(w, ",\"filter\":{\"events\":[");
	for (int t = 0; t < SW_EV_SELECTABLE; t++) {
		if (!(si->events & SW_EVMASK(t)))
			continue;
		if (!first)
			JW_LIT(w, ",");
		JW_STRICT(w, "", sw_event_name((enum sw_ev_type)t));
		first = false;
	}
	JW_BOOL(w, "],\"threads\":", si->threads);
	JW_BOOL(w, ",\"nonzero_exit\":", si->nonzero_exit);
	JW_LIT(w, ",\"where\":\"user\"}");
}

static void put_start(struct sw_jsonw *w, const struct sw_start_info *si)
{
	JW_STRICT(w, ",\"version\":", si->version);
	JW_STRICT(w, ",\"kernel\":", si->kernel);
	sw_emit_json_start(w, si);
}

void sw_emit_json_start(struct sw_jsonw *w, const struct sw_start_info *si)
{
	sw_emit_json_filter(w, si);
	JW_INT(w, ",\"tracked\":", si->tracked);
	if (si->mntns) {
		JW_INT(w, ",\"ns\":{\"mnt\":", (long long)si->mntns);
		JW_INT(w, ",\"pid\":", (long long)si->pidns);
		JW_LIT(w, "}");
	}
	JW_INT(w, ",\"rcvbuf\":", si->rcvbuf);
}

static void put_latency(struct sw_jsonw *w, const struct sw_latency *l)
{
	JW_INT(w, ",\"latency_us\":{\"n\":", (long long)l->n);
	JW_INT(w, ",\"p50\":", (long long)sw_latency_pct(l, 0.5));
	JW_INT(w, ",\"p90\":", (long long)sw_latency_pct(l, 0.9));
	JW_INT(w, ",\"p99\":", (long long)sw_latency_pct(l, 0.99));
	JW_INT(w, ",\"max\":", (long long)l->max_us);
	JW_LIT(w, "}");
}

/* {"execs":N,"by_uid":[{"uid":U,"execs":N},...]}: the most paced first. */
static void put_paced(struct sw_jsonw *w, const struct sw_stats *st)
{
	unsigned n = st->n_paced_top < SW_PACED_TOP ? st->n_paced_top : SW_PACED_TOP;

	JW_INT(w, ",\"paced\":{\"execs\":", (long long)st->paced);
	JW_LIT(w, ",\"by_uid\":[");
	for (unsigned i = 0; i < n; i++) {
		if (i)
			JW_LIT(w, ",");
		JW_INT(w, "{\"uid\":", st->paced_top[i].uid);
		JW_INT(w, ",\"execs\":", (long long)st->paced_top[i].execs);
		JW_LIT(w, "}");
	}
	JW_LIT(w, "]}");
}

void sw_emit_json_stats(struct sw_jsonw *w, const struct sw_stats *st)
{
	JW_LIT(w, ",\"stats\":{\"events\":{");
	for (int i = 0; i < SW_EV_KERNEL_KINDS; i++)
		put_count(w, i == 0, sw_event_name((enum sw_ev_type)i),
			  st->received[i]);
	JW_INT(w, "},\"emitted\":", (long long)st->emitted);
	JW_INT(w, ",\"lost\":", (long long)st->lost);
	JW_INT(w, ",\"lost_by\":{\"enobufs\":", (long long)st->lost_episodes);
	JW_INT(w, ",\"seq_gap\":", (long long)st->lost_seq);
	JW_INT(w, ",\"drops\":", (long long)st->lost_drops);
	JW_INT(w, "},\"rejected\":", (long long)st->rejected);
	JW_LIT(w, ",\"rejected_by\":{");
	for (int i = 0; i < SW_REJ__MAX; i++)
		put_count(w, i == 0, sw_reject_name((enum sw_reject)i),
			  st->rejected_by[i]);
	JW_INT(w, "},\"proc_gone\":", (long long)st->proc_gone);
	JW_INT(w, ",\"proc_denied\":", (long long)st->proc_denied);
	JW_INT(w, ",\"proc_timeout\":", (long long)st->proc_timeout);
	JW_INT(w, ",\"pid_reused\":", (long long)st->pid_reused);
	JW_INT(w, ",\"readers_stuck\":", st->readers_stuck);
	JW_INT(w, ",\"conn\":{\"checked\":", (long long)st->conn.checked);
	JW_INT(w, ",\"holders\":", (long long)st->conn.holders);
	JW_INT(w, ",\"kept\":", (long long)st->conn.kept);
	JW_INT(w, ",\"late\":", (long long)st->conn.late);
	JW_INT(w, ",\"dropped\":", (long long)st->conn.dropped);
	JW_INT(w, ",\"listens\":", (long long)st->conn.listens);
	JW_LIT(w, "}");
	JW_INT(w, ",\"resyncs\":", (long long)st->resyncs);
	JW_INT(w, ",\"tracked\":", st->tracked);
	JW_INT(w, ",\"peak_tracked\":", st->peak_tracked);
	JW_INT(w, ",\"zombies\":", st->zombies);
	JW_INT(w, ",\"evicted\":", (long long)st->evicted);
	JW_INT(w, ",\"untracked\":", (long long)st->untracked);
	JW_INT(w, ",\"anomalies\":", (long long)st->anomalies);
	JW_INT(w, ",\"wakeups\":", (long long)st->wakeups);
	JW_INT(w, ",\"reopen_failed\":", (long long)st->reopen_failed);
	put_paced(w, st);
	put_latency(w, &st->latency);
	JW_LIT(w, "}");
}

void sw_emit_json_run(struct sw_jsonw *w, const struct sw_event *ev)
{
	switch (ev->type) {
	case SW_EV_RESYNC:
		JW_INT(w, ",\"added\":", ev->u.resync.added);
		JW_INT(w, ",\"removed\":", ev->u.resync.removed);
		JW_INT(w, ",\"reparented\":", ev->u.resync.reparented);
		JW_INT(w, ",\"tracked\":", ev->u.resync.tracked);
		break;
	case SW_EV_START:
		if (ev->start)
			put_start(w, ev->start);
		break;
	case SW_EV_STOP:
		if (ev->stats)
			sw_emit_json_stats(w, ev->stats);
		break;
	default:
		break;
	}
}
