/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer entry point for the JSON writer: the bytes are an event (its
 * kind, have bits, numbers, strings, argv with its NULs, ancestry, tags),
 * formatted by the writer (sw_emit_json_ops, and sw_emit_ecs_ops for
 * --format ecs) and by the jansson builder it is held to
 * (sw_emit_json_ref_ops, sw_emit_ecs_ref_ops), for every kind of line (ECS
 * for the kinds that exist only).  Aborts when the two differ by a byte,
 * when one refuses a line the other writes, when a refused line leaves
 * anything in the buffer, or when a line is not one JSON object on one line;
 * and when the line cut shorter by the truncate op is not one either.
 * Seeds: tests/fuzz/emit/.
 *
 * Input, read in order; missing bytes read as 0:
 *   kind, have (2), flags, pid, tid, ppid, uid, euid, gid, egid (4 each),
 *   seq (8), ktime (8), clock offset (4), bytes already in the buffer (2),
 *   host, comm, exe, cwd, user (strings), argv (length (2), bytes, and
 *   when flags say so a length (2) to repeat them up to), ancestry (count,
 *   then pid, comm, exe each), container id (string) and runtime (name),
 *   mnt and pid namespaces (8 each), duration (8), tags (count, names),
 *   then the kind's own fields: for start (unless flags say none) version
 *   (name), kernel (string), a byte of bools, events (2), tracked, rcvbuf
 *   (4 each), mnt and pid namespaces (8 each); for stop (the same) each
 *   counter (8 bytes, the table's sizes 4) and a count of latencies (1)
 *   with each (8); last the peer of a shell when have has SW_HAVE_NET
 *   (input.h, take_net()).
 * A string is a length byte (255: none) and its bytes, cut at a NUL as C
 * cuts it; a name (spawnwatch's own strings: tags, runtime, reasons) is a
 * byte choosing one of a few, or 254 and a string, or 255: none.
 */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "emit.h"
#include "lineage.h"
#include "procfs.h"
#include "stats.h"

#include "input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* What the buffers hold before the line: it must stay as it is. */
static char pattern[5000];

static const char *take_string(struct input *in)
{
	size_t len = (size_t)take(in, 1), cut;
	char *s;

	if (len == 255)
		return NULL;
	len = len < in->n ? len : in->n;
	cut = strnlen((const char *)in->p, len);
	s = own(in, cut + 1);
	if (!s)
		return NULL;
	memcpy(s, in->p, cut);
	s[cut] = '\0';
	in->p += len;
	in->n -= len;
	return s;
}

static const char *take_name(struct input *in)
{
	static const char *const names[] = {
		"storm", "exec-from-tmp", "container-escape", "docker",
		"podman", "enobufs", "seq_gap", "output", "fork-bomb", "",
		"\xc3\xa9t\xc3\xa9", "a\"b\\c\n", "\xf0\x9f\x98\x80",
	};
	unsigned c = (unsigned)take(in, 1);

	if (c == 255)
		return NULL;
	if (c == 254)
		return take_string(in);
	return names[c % (sizeof(names) / sizeof(names[0]))];
}

/* A real that (long long)(v * scale) may take: the writers' own cut. */
static double take_cut_real(struct input *in, double scale)
{
	uint64_t bits = take(in, 8);
	double v;

	if (bits >> 63)		/* whole units of 1/scale */
		return (double)(int64_t)(bits << 1) / 2 / scale;
	memcpy(&v, &bits, sizeof(v));
	if (!(fabs(v * scale) < 9.2e18))
		v = (double)(int64_t)bits / 1e12;
	return v;
}

static double take_real(struct input *in)
{
	uint64_t bits = take(in, 8);
	double v;

	memcpy(&v, &bits, sizeof(v));
	return v;
}

static const struct sw_start_info *take_start(struct input *in)
{
	static struct sw_start_info si;
	unsigned bools;

	si.version = take_name(in);
	si.kernel = take_string(in);
	bools = (unsigned)take(in, 1);
	si.threads = bools & 1;
	si.nonzero_exit = bools & 2;
	si.events = (unsigned)take(in, 2);
	si.tracked = (unsigned)take(in, 4);
	si.rcvbuf = (int)take(in, 4);
	si.mntns = take(in, 8);
	si.pidns = take(in, 8);
	return &si;
}

static const struct sw_stats *take_stats(struct input *in)
{
	static struct sw_stats st;
	uint64_t *c = (uint64_t *)&st;

	memset(&st, 0, sizeof(st));
	for (size_t i = 0; i < offsetof(struct sw_stats, tracked) / 8; i++)
		c[i] = take(in, 8);
	st.tracked = (unsigned)take(in, 4);
	st.peak_tracked = (unsigned)take(in, 4);
	st.zombies = (unsigned)take(in, 4);
	for (unsigned n = (unsigned)take(in, 1); n; n--)
		sw_latency_add(&st.latency, take(in, 8));
	return &st;
}

static void fill(struct input *in, struct sw_event *ev, struct sw_emit *em,
		 size_t *pre)
{
	unsigned flags;
	size_t len, upto;
	char *argv;

	flags = take_head(in, ev);
	ev->uid = (uint32_t)take(in, 4);
	ev->euid = (uint32_t)take(in, 4);
	ev->gid = (uint32_t)take(in, 4);
	ev->egid = (uint32_t)take(in, 4);
	em->seq = take(in, 8);
	take_clock(in, ev, &em->realtime_offset_ns);
	*pre = (size_t)take(in, 2) % sizeof(pattern);

	len = (size_t)take(in, 1);
	len = len < in->n ? len : in->n;
	len = len < sizeof(em->host) - 1 ? len : sizeof(em->host) - 1;
	memcpy(em->host, in->p, len);
	em->host[len] = '\0';
	in->p += len;
	in->n -= len;
	ev->comm = take_string(in);
	ev->exe = take_string(in);
	ev->cwd = take_string(in);
	ev->user = take_string(in);

	len = (size_t)take(in, 2) % (SW_ARGV_KEEP * 8 + 1);
	upto = flags & 4 ? (size_t)take(in, 2) % (SW_ARGV_KEEP * 8 + 1) : len;
	len = len < in->n ? len : in->n;
	upto = len && upto > len ? upto : len;
	if (flags & 8 && (argv = own(in, upto))) {
		for (size_t i = 0; i < upto; i++)
			argv[i] = (char)in->p[i % len];
		ev->argv = argv;
		ev->argv_len = upto;
	}
	in->p += len;
	in->n -= len;

	ev->n_ancestry = (unsigned)take(in, 1);
	ev->n_ancestry %= ev->n_ancestry & 0x80 ? SW_ANCESTRY_MAX + 1 : 9;
	for (unsigned i = 0; i < ev->n_ancestry; i++) {
		ev->ancestry[i].pid = (int)take(in, 4);
		ev->ancestry[i].comm = take_string(in);
		ev->ancestry[i].exe = take_string(in);
	}
	if (flags & 16) {
		ev->container_id = take_string(in);
		ev->container_runtime = take_name(in);
	}
	ev->mntns = take(in, 8);
	ev->pidns = take(in, 8);
	for (unsigned i = 0; i < SW_UF__MAX; i++)
		ev->unread[i] = (uint8_t)(take(in, 1) % SW_UNREAD__MAX);
	ev->duration_s = take_cut_real(in, 1e6);
	ev->n_tags = (unsigned)take(in, 1) % (SW_TAGS_MAX + 1);
	for (unsigned i = 0; i < ev->n_tags; i++)
		ev->tags[i] = take_name(in);

	switch (ev->type) {
	case SW_EV_ANOMALY:
		ev->u.anomaly.tag = take_name(in);
		ev->u.anomaly.count = (unsigned)take(in, 4);
		ev->u.anomaly.threshold = (unsigned)take(in, 4);
		ev->u.anomaly.window_s = take_real(in);
		ev->u.anomaly.oldest_s = take_cut_real(in, 1e3);
		break;
	case SW_EV_LOST:
		ev->u.lost.count = flags & 32 ? -1 : (int64_t)take(in, 8);
		ev->u.lost.reason = take_name(in);
		break;
	case SW_EV_START:
		ev->start = flags & 32 ? NULL : take_start(in);
		break;
	case SW_EV_STOP:
		ev->stats = flags & 32 ? NULL : take_stats(in);
		break;
	default:
		take_kind_common(in, ev, flags);
		break;
	}
	take_net(in, ev);
}

/* One JSON object, '\n' last and nowhere else, no raw control byte. */
static void check_line(const char *p, size_t len)
{
	json_error_t jerr;
	json_t *o;

	if (len < 3 || p[len - 1] != '\n')
		abort();
	for (size_t i = 0; i + 1 < len; i++)
		if ((unsigned char)p[i] < 0x20)
			abort();
	o = json_loadb(p, len - 1, 0, &jerr);
	/* A real next to DBL_MAX has 15 digits that round it beyond. */
	if (!o && strstr(jerr.text, "real number overflow"))
		return;
	if (!o || !json_is_object(o))
		abort();
	json_decref(o);
}

/*
 * The truncate op (what --syslog sends when a line is too long): at the
 * line's own length it is the line, unmarked; shorter, at most max bytes,
 * one JSON object marked "truncated", or refused with nothing appended.
 */
static void check_cut(struct sw_emit *em, const struct sw_event *ev,
		      const char *line, size_t len)
{
	struct sw_buf b = { 0 };
	size_t max;
	int r;

	if (sw_emit_truncate(em, ev, &b, len) != 0 || b.len != len ||
	    memcmp(b.data, line, len) != 0)
		abort();
	max = len - 1 - (size_t)(em->seq * 7919 % len);
	b.len = 0;
	r = sw_emit_truncate(em, ev, &b, max);
	if (r == 1) {
		static const char mark[] = ",\"truncated\":true}";

		if (b.len > max || b.len < sizeof(mark) - 1 ||
		    memcmp(b.data + b.len - (sizeof(mark) - 1), mark,
			   sizeof(mark) - 1) != 0 ||
		    sw_buf_putc(&b, '\n') < 0)
			abort();
		check_line(b.data, b.len);
	} else if (r != -EMSGSIZE || b.len != 0) {
		abort();
	}
	sw_buf_free(&b);
}

/*
 * The line sw_emit_event() writes (its fields capped for size, as the cut
 * starts from) with the current seq, and its cuts.
 */
static void check_capped(struct sw_emit *em, const struct sw_event *ev)
{
	struct sw_buf line = { 0 };

	em->seq--;		/* sw_emit_event() counts it again */
	if (sw_emit_event(em, ev, &line) == 0 && line.len)
		check_cut(em, ev, line.data, line.len - 1);
	else
		em->seq++;
	sw_buf_free(&line);
}

static void prefill(struct sw_buf *b, size_t pre)
{
	b->len = 0;
	if (sw_buf_append(b, pattern, pre) < 0)
		abort();
}

/* ev formatted by ops and by its oracle ref after pre bytes: the same. */
static void compare(const struct sw_emitter_ops *ref_ops,
		    const struct sw_emitter_ops *ops, struct sw_emit *em,
		    const struct sw_event *ev, size_t pre)
{
	struct sw_buf ref = { 0 }, fast = { 0 };
	int rr, rf;

	prefill(&ref, pre);
	prefill(&fast, pre);
	em->ops = ops;
	rr = ref_ops->format(em, ev, &ref);
	rf = ops->format(em, ev, &fast);
	if ((rr < 0) != (rf < 0))
		abort();
	if (rf < 0) {
		if (fast.len != pre || (fast.data && fast.data[pre]))
			abort();
		if (pre && memcmp(fast.data, pattern, pre) != 0)
			abort();
	} else {
		if (ref.len != fast.len ||
		    memcmp(ref.data, fast.data, ref.len) != 0 ||
		    fast.data[fast.len] != '\0')
			abort();
		check_line(fast.data + pre, fast.len - pre);
		check_capped(em, ev);
	}
	sw_buf_free(&ref);
	sw_buf_free(&fast);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sw_emit em;
	static struct sw_event ev;
	static bool ready;
	struct input in = { .p = data, .n = size };
	size_t pre;

	if (!ready) {
		sw_emit_init(&em, &sw_emit_json_ops, false);
		for (size_t i = 0; i < sizeof(pattern); i++)
			pattern[i] = (char)('A' + i % 26);
		ready = true;
	}
	fill(&in, &ev, &em, &pre);
	compare(&sw_emit_json_ref_ops, &sw_emit_json_ops, &em, &ev, pre);
	/* ECS names the kind in a table: only the kinds there are. */
	if (ev.type < SW_EV__MAX)
		compare(&sw_emit_ecs_ref_ops, &sw_emit_ecs_ops, &em, &ev, pre);
	input_free(&in);
	return 0;
}
