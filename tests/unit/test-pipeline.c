/* SPDX-License-Identifier: MIT */
/*
 * The pipeline on hand-made events: the order of its hooks, the filter,
 * --count, a batch put in time order, recorded lines (replay), a failed
 * write, and how a snapshot is judged (forest).  Lines go to a file and
 * are read back.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "opts.h"
#include "pipeline.h"

static struct sw_rules rules;
static struct sw_opts opts;
static struct sw_sink *sink;
static struct sw_pipeline *pl;
static char path[64];
static char calls[256];		/* the hooks called, one letter each */
static struct sw_event ev;

static void hook(char c)
{
	size_t n = strlen(calls);

	if (n + 1 < sizeof(calls)) {
		calls[n] = c;
		calls[n + 1] = '\0';
	}
}

static void on_before(void *data, struct sw_event *e) { hook('b'); }
static void on_seed(void *data, struct sw_event *e) { hook('s'); }
static void on_applied(void *data, struct sw_event *e) { hook('a'); }
static void on_judged(void *data, struct sw_event *e)
{
	hook(e->n_tags ? 'J' : 'j');	/* detect has run */
}

static uint64_t log_now(void *data)
{
	return 77;
}

/* A pipeline writing JSON lines to path, with the options in opts. */
static void open_pipeline(const char *out)
{
	struct sw_pipeline_conf pc = {
		.rules = &rules,
		.format = sw_emit_find("json"),
		.count = opts.count,
		.lineage = SW_LINEAGE_STREAM_CONF(1, -1),
		.hooks = {
			.before = on_before, .seed = on_seed,
			.applied = on_applied, .judged = on_judged,
			.now = log_now,
		},
	};
	char err[256];

	opts.output = out;
	sw_filter_init(&pc.filter, &opts);
	assert_int_equal(sw_sink_open(&sink, sw_opts_sink_conf(&opts), err, sizeof(err)), 0);
	pc.sink = sink;
	pl = sw_pipeline_new(&pc);
	assert_non_null(pl);
	sw_lineage_seal(sw_pipeline_lineage(pl));
}

static int setup(void **state)
{
	int fd;

	sw_rules_defaults(&rules);
	memset(&opts, 0, sizeof(opts));
	opts.events = SW_EVMASK_ALL;
	opts.format = "json";
	snprintf(path, sizeof(path), "/tmp/sw-pipeline-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	calls[0] = '\0';
	return 0;
}

static int teardown(void **state)
{
	if (pl)
		sw_pipeline_free(pl);
	if (sink) {
		sw_sink_close(sink);
		sw_sink_free(sink);
	}
	pl = NULL;
	sink = NULL;
	unlink(path);
	return 0;
}

/* The lines written so far, and how many hold needle. */
static unsigned lines_with(const char *needle, unsigned *total)
{
	char line[8192];
	unsigned n = 0, all = 0;
	FILE *f;

	assert_int_equal(sw_pipeline_flush(pl, false), 0);
	f = fopen(path, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		all++;
		n += strstr(line, needle) != NULL;
	}
	fclose(f);
	if (total)
		*total = all;
	return n;
}

static void fork_of(int parent, int child, uint64_t t)
{
	sw_event_reset(&ev, SW_EV_FORK);
	ev.ktime_ns = t;
	ev.pid = ev.tid = child;
	ev.u.fork.parent_pid = ev.u.fork.parent_tid = parent;
}

static void exec_of(int pid, const char *exe, uint64_t t)
{
	sw_event_reset(&ev, SW_EV_EXEC);
	ev.ktime_ns = t;
	ev.pid = ev.tid = pid;
	ev.exe = exe;
	ev.argv = exe;
	ev.argv_len = strlen(exe) + 1;
	ev.have |= SW_HAVE_EXE | SW_HAVE_ARGV;
}

static void test_hooks_in_order(void **state)
{
	unsigned total;

	open_pipeline(path);
	fork_of(1, 100, 1000);
	sw_pipeline_event(pl, &ev);
	assert_string_equal(calls, "bsaj");
	exec_of(100, "/tmp/miner", 2000);
	sw_pipeline_event(pl, &ev);
	assert_string_equal(calls, "bsajbsaJ");	/* tagged by then */
	/* The kernel's ack is the source's: seen first, then dropped. */
	sw_event_reset(&ev, SW_EV_ACK);
	sw_pipeline_event(pl, &ev);
	assert_string_equal(calls, "bsajbsaJb");
	assert_int_equal(lines_with("\"event\":\"exec\"", &total), 1);
	assert_int_equal(total, 2);
	assert_int_equal(lines_with("exec-from-tmp", NULL), 1);
	assert_int_equal(sw_pipeline_stats(pl)->received[SW_EV_FORK], 1);
	assert_int_equal(sw_pipeline_stats(pl)->received[SW_EV_EXEC], 1);
	assert_int_equal(sw_pipeline_stats(pl)->emitted, 2);
}

static void test_tagged_only(void **state)
{
	unsigned total;

	opts.tagged = true;
	open_pipeline(path);
	exec_of(200, "/usr/bin/true", 1000);
	sw_pipeline_event(pl, &ev);
	exec_of(201, "/dev/shm/x", 2000);
	sw_pipeline_event(pl, &ev);
	assert_int_equal(lines_with("\"pid\":201", &total), 1);
	assert_int_equal(total, 1);
}

static void test_count(void **state)
{
	unsigned total;

	opts.count = 2;
	open_pipeline(path);
	for (int i = 0; i < 5; i++) {
		exec_of(300 + i, "/usr/bin/true", 1000 + (uint64_t)i);
		sw_pipeline_event(pl, &ev);
		assert_int_equal(sw_pipeline_done(pl), i >= 1);
	}
	/* Lines of spawnwatch's own still go out, uncounted. */
	sw_pipeline_lost(pl, 3, "seq_gap");
	assert_int_equal(lines_with("\"event\":\"exec\"", &total), 2);
	assert_int_equal(total, 3);
	assert_int_equal(lines_with("\"reason\":\"seq_gap\"", NULL), 1);
	assert_int_equal(sw_pipeline_stats(pl)->lost, 3);
}

static void test_batch_in_time_order(void **state)
{
	struct sw_event evs[3];
	char line[4096];
	FILE *f;
	int pids[3], n = 0;

	open_pipeline(path);
	/* Three CPUs' events, as they came: not in time order. */
	exec_of(402, "/usr/bin/b", 3000);
	evs[0] = ev;
	exec_of(400, "/usr/bin/a", 1000);
	evs[1] = ev;
	exec_of(401, "/usr/bin/c", 2000);
	evs[2] = ev;
	sw_pipeline_batch(pl, evs, 3);
	assert_int_equal(sw_pipeline_flush(pl, false), 0);
	f = fopen(path, "r");
	assert_non_null(f);
	while (n < 3 && fgets(line, sizeof(line), f)) {
		const char *p = strstr(line, "\"pid\":");

		assert_non_null(p);
		pids[n++] = atoi(p + 6);
	}
	fclose(f);
	assert_int_equal(n, 3);
	assert_int_equal(pids[0], 400);
	assert_int_equal(pids[1], 401);
	assert_int_equal(pids[2], 402);
}

static void anomaly(int pid, const char *tag, unsigned count)
{
	sw_event_reset(&ev, SW_EV_ANOMALY);
	ev.ktime_ns = 5000;
	ev.pid = ev.tid = pid;
	ev.u.anomaly.tag = tag;
	ev.u.anomaly.count = count;
}

static void test_recorded(void **state)
{
	unsigned total;

	rules.zombie.threshold = 10;
	open_pipeline(path);
	anomaly(500, "zombie-accumulation", 12);
	sw_pipeline_recorded(pl, &ev);
	anomaly(501, "zombie-accumulation", 9);	/* below the rules' threshold */
	sw_pipeline_recorded(pl, &ev);
	anomaly(502, "spawn-storm", 1000);	/* replay judges storms itself */
	sw_pipeline_recorded(pl, &ev);
	assert_int_equal(lines_with("\"pid\":500", &total), 1);
	assert_int_equal(total, 1);
	assert_int_equal(lines_with("\"threshold\":10", NULL), 1);
	assert_int_equal(lines_with("zombie-accumulation", NULL), 1);
}

static void test_recorded_reparent(void **state)
{
	struct sw_lineage *l;
	const struct sw_proc *p;

	open_pipeline(path);
	l = sw_pipeline_lineage(pl);
	fork_of(1, 600, 1000);
	sw_pipeline_event(pl, &ev);
	fork_of(600, 601, 2000);
	sw_pipeline_event(pl, &ev);
	sw_event_reset(&ev, SW_EV_REPARENT);
	ev.ktime_ns = 3000;
	ev.pid = ev.tid = 601;
	ev.ppid = 1;
	ev.have |= SW_HAVE_PPID;
	sw_pipeline_event(pl, &ev);
	p = sw_lineage_find(l, 601);
	assert_non_null(p);
	assert_int_equal(p->ppid, 1);
	assert_int_equal(lines_with("\"event\":\"reparent\"", NULL), 1);
}

/* A failed write stops the pipeline and is kept. */
static void test_write_error(void **state)
{
	int full = open("/dev/full", O_WRONLY | O_CLOEXEC);

	/* A device is no --output file: a full disk, under the open file. */
	open_pipeline(path);
	assert_true(full >= 0);
	assert_true(dup2(full, sink->out.fd) >= 0);
	close(full);
	exec_of(700, "/usr/bin/true", 1000);
	sw_pipeline_event(pl, &ev);
	assert_int_equal(sw_pipeline_flush(pl, true), -ENOSPC);
	assert_true(sw_pipeline_done(pl));
	assert_int_equal(sw_pipeline_write_error(pl), -ENOSPC);
	/* Nothing more is tried. */
	exec_of(701, "/usr/bin/true", 2000);
	sw_pipeline_event(pl, &ev);
	assert_int_equal(sw_pipeline_flush(pl, true), -ENOSPC);
}

static void test_static_tags(void **state)
{
	struct sw_host host = { 0 };	/* no namespaces known */
	struct sw_rules snap;
	struct sw_event scratch;
	const struct sw_proc *p;

	open_pipeline(path);
	fork_of(1, 800, 1000);
	sw_pipeline_event(pl, &ev);
	exec_of(800, "/tmp/xmrig", 2000);
	sw_pipeline_event(pl, &ev);
	p = sw_lineage_find(sw_pipeline_lineage(pl), 800);
	assert_non_null(p);
	sw_pipeline_static_rules(&snap, &rules);
	assert_false(snap.hours.enabled);
	assert_false(snap.cron.enabled);
	assert_true(sw_pipeline_static_tags(&snap, &host, sw_pipeline_lineage(pl), p,
					    &scratch) >= 1);
	assert_string_equal(scratch.tags[0], "exec-from-tmp");
	/* An exited process is what it was: no tags for a snapshot. */
	sw_event_reset(&ev, SW_EV_EXIT);
	ev.ktime_ns = 3000;
	ev.pid = ev.tid = 800;
	sw_pipeline_event(pl, &ev);
	assert_int_equal(sw_pipeline_static_tags(&snap, &host, sw_pipeline_lineage(pl), p,
						 &scratch), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_hooks_in_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tagged_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_count, setup, teardown),
		cmocka_unit_test_setup_teardown(test_batch_in_time_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_recorded, setup, teardown),
		cmocka_unit_test_setup_teardown(test_recorded_reparent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_static_tags, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
