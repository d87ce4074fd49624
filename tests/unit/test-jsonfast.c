/* SPDX-License-Identifier: MIT */
/*
 * The JSON writer (sw_emit_json_ops) against the jansson builder
 * (sw_emit_json_ref_ops): every line the same bytes, or both refuse it and
 * the writer leaves the buffer as it was (the cases: fastcmp.h), and the
 * bounds of a line's size in json and ecs.
 *
 *   test-jsonfast --bench ref|fast N	formats N fork/exec/exit lines and
 *					says how long that took (for
 *					valgrind --tool=callgrind too)
 */
#include "config.h"

#define FAST_OPS sw_emit_json_ops
#define FAST_REF sw_emit_json_ref_ops
#define FAST_NAME "json"
/* Past the last type too: the writer's default case. */
#define FAST_KINDS (SW_EV__MAX + 2)
#define FAST_UNREAD true

#include "fastcmp.h"

/* JSON has no uptime: the lifetime is duration_s alone. */
static void fast_reals_held(void)
{
}

static void fast_want_start(void)
{
	assert_non_null(strstr(fast.data, "\"version\":\"1.4.2\",\"kernel\":"
			       "\"6.8.0-45-generic\",\"filter\":{\"events\":[\"fork\","));
	assert_non_null(strstr(fast.data, "\"where\":\"user\"},\"tracked\":"
			       "4294967295,\"ns\":{\"mnt\":4026531841,\"pid\":-1},"
			       "\"rcvbuf\":67108864}\n"));
}

static void fast_want_stop(void)
{
	assert_non_null(strstr(fast.data, ",\"stats\":{\"events\":"
			       "{\"fork\":1,\"exec\":2,"));
}

static void fast_want_resync(void)
{
	assert_non_null(strstr(fast.data, ",\"event\":\"resync\",\"added\":3,"
			       "\"removed\":0,\"reparented\":0,\"tracked\":120}\n"));
}

/* --- line sizes (spawnwatch-json(5), LINE SIZE) -------------------- */

/* n bytes of c and a NUL, in a buffer of its own. */
static char *filled(size_t n, int c)
{
	char *p = malloc(n + 1);

	assert_non_null(p);
	memset(p, c, n);
	p[n] = '\0';
	return p;
}

/* Every field a process controls at its longest, in the costliest bytes. */
static void worst_event(enum sw_ev_type type, const char *path, const char *comm,
			const char *argv, size_t argv_len, const char *cid)
{
	static const char *const tags[SW_TAGS_MAX] = {
		"privilege-escalation", "container-escape", "network-listener",
		"zombie-accumulation", "privilege-escalation", "reverse-shell",
		"exec-from-tmp", "cron-overlap" };

	memset(&ev, 0, offsetof(struct sw_event, ancestry));
	ev.type = type;
	ev.ktime_ns = KTIME;
	ev.pid = ev.tid = -2147483647;
	ev.tid = 2147483647;
	ev.have = SW_HAVE_PPID | SW_HAVE_COMM | SW_HAVE_EXE | SW_HAVE_CWD |
		  SW_HAVE_ARGV | SW_HAVE_CREDS | SW_HAVE_DURATION | SW_HAVE_START |
		  SW_HAVE_NS | SW_HAVE_NET;
	/* The longest peer inet_ntop writes, the widest port and holder. */
	snprintf(ev.net.peer, sizeof(ev.net.peer), "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255");
	ev.net.port = 65535;
	ev.net.via = SW_VIA_SOCKETPAIR;
	ev.net.holder = 2147483647;
	ev.ppid = -2147483647;
	ev.comm = comm;
	ev.exe = ev.cwd = path;
	ev.argv = argv;
	ev.argv_len = argv_len;
	ev.uid = ev.euid = ev.gid = ev.egid = UINT32_MAX;
	/* A user name as long as useradd allows (32), from NSS. */
	ev.user = "\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01"
		  "\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01";
	ev.container_id = cid;
	ev.container_runtime = "containerd";
	ev.mntns = ev.pidns = UINT64_MAX;
	ev.start_ns = KTIME;
	ev.duration_s = 9.2e12;
	ev.n_ancestry = SW_ANCESTRY_MAX;
	for (unsigned i = 0; i < SW_ANCESTRY_MAX; i++)
		ev.ancestry[i] = (struct sw_ancestor){ -2147483647, comm, path };
	ev.n_tags = SW_TAGS_MAX;
	memcpy(ev.tags, tags, sizeof(tags));
	switch (type) {		/* u is a union: only the kind's own */
	case SW_EV_EXIT:
		ev.u.exit.signal = 64;
		ev.u.exit.core = true;
		break;
	case SW_EV_PTRACE:
		ev.u.ptrace.tracer_pid = -2147483647;
		ev.u.ptrace.tracer_comm = comm;
		break;
	case SW_EV_COMM:
		memset(ev.u.comm.comm, 1, SW_COMM_LEN);
		memset(ev.u.comm.prev, 1, SW_COMM_LEN);
		ev.u.comm.have_prev = true;
		break;
	case SW_EV_UID:
	case SW_EV_GID:
		ev.u.id.have_prev = true;
		ev.u.id.prev_r = ev.u.id.prev_e = UINT32_MAX;
		break;
	case SW_EV_REPARENT:
		ev.u.reparent.prev_ppid = -2147483647;
		break;
	case SW_EV_ANOMALY:	/* a shell found wired to a peer at a tick */
		ev.u.anomaly.tag = "privilege-escalation";
		ev.u.anomaly.count = ev.u.anomaly.threshold = UINT32_MAX;
		ev.u.anomaly.window_s = 1.0000000000001e10;
		ev.u.anomaly.oldest_s = 9.2e12;
		break;
	default:
		break;
	}
}

/* Its line through sw_emit_event() in a format and its oracle: the size. */
static size_t emit_both(const struct sw_emitter_ops *ops,
			const struct sw_emitter_ops *oracle)
{
	struct sw_emit a, b;

	sw_emit_init(&a, ops, false);
	sw_emit_init(&b, oracle, false);
	a.realtime_offset_ns = b.realtime_offset_ns = 0;
	memset(a.host, 1, 64);		/* HOST_NAME_MAX */
	memset(b.host, 1, 64);
	a.seq = b.seq = UINT64_MAX / 2;
	fast.len = ref.len = 0;
	assert_int_equal(sw_emit_event(&a, &ev, &fast), 0);
	assert_int_equal(sw_emit_event(&b, &ev, &ref), 0);
	assert_int_equal(fast.len, ref.len);
	assert_memory_equal(fast.data, ref.data, ref.len);
	assert_json_line(fast.data, fast.len);
	sw_emit_fini(&a);
	sw_emit_fini(&b);
	return fast.len;
}

static bool has(const char *key)
{
	return strstr(fast.data, key) != NULL;
}

/*
 * Whatever a process put in its fields, a line of any kind but exec is at
 * most SW_LINE_MAX bytes, its cuts marked; an exec line carries its whole
 * executable and working directory and SW_ARGV_LINE_MAX of its command
 * line.  json and ecs, and their oracles, alike.
 */
static void test_line_bounds(void **state)
{
	static const enum sw_ev_type kinds[] = {
		SW_EV_FORK, SW_EV_EXIT, SW_EV_UID, SW_EV_GID, SW_EV_SID,
		SW_EV_PTRACE, SW_EV_COMM, SW_EV_COREDUMP, SW_EV_REPARENT,
		SW_EV_ANOMALY,
	};
	const struct sw_emitter_ops *const fmt[2][2] = {
		{ &sw_emit_json_ops, &sw_emit_json_ref_ops },
		{ &sw_emit_ecs_ops, &sw_emit_ecs_ref_ops },
	};
	const size_t argv_len = SW_ARGV_READ_MAX;
	char *path = filled(PATH_MAX - 1, 1), *comm = filled(SW_COMM_LEN, 1);
	char *argv = filled(argv_len, 1), *cid = filled(SW_CONTAINER_ID_MAX, '"');
	size_t most[2] = { 0, 0 }, n, exec_most[2];
	char want[64];

	for (int f = 0; f < 2; f++) {
		for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
			/* The table's copy of a command line: SW_ARGV_KEEP bytes. */
			worst_event(kinds[k], path, comm, argv, SW_ARGV_KEEP, cid);
			ev.cut = SW_HAVE_ARGV;
			ev.argv_size = argv_len;
			n = emit_both(fmt[f][0], fmt[f][1]);
			print_message("%s %s: %zu bytes\n", fmt[f][0]->name,
				      sw_event_name(kinds[k]), n);
			assert_true(n <= SW_LINE_MAX);
			most[f] = n > most[f] ? n : most[f];
			snprintf(want, sizeof(want), "\"argv_len\":%zu", argv_len);
			assert_true(has("\"argv_truncated\":true") && has(want));
			assert_true(has("\"exe_truncated\":true"));
			assert_true(has("\"cwd_truncated\":true"));
			assert_true(has("\"ancestry_truncated\":true"));
		}
		/* An exec: its own fields whole, the command line to its cap. */
		worst_event(SW_EV_EXEC, path, comm, argv, argv_len, cid);
		exec_most[f] = emit_both(fmt[f][0], fmt[f][1]);
		print_message("%s exec: %zu bytes\n", fmt[f][0]->name, exec_most[f]);
		assert_true(has("\"argv_truncated\":true") && has(want));
		/* (exe_truncated is there: its ancestors' executables) */
		assert_false(has("\"cwd_truncated\""));
		assert_true(has("\"ancestry_truncated\":true"));
		/* 6 bytes written a byte (\u0001), once in json, twice in ecs. */
		assert_true(exec_most[f] <= (size_t)(f + 1) * 6 * SW_ARGV_LINE_MAX +
					   (size_t)(f + 2) * 6 * PATH_MAX + SW_LINE_MAX);
		assert_true(exec_most[f] >= (size_t)(f + 1) * 6 * SW_ARGV_LINE_MAX);
	}
	print_message("most: json %zu, ecs %zu; exec: json %zu, ecs %zu\n",
		      most[0], most[1], exec_most[0], exec_most[1]);

	/* A line within the size is never cut, however long its fields. */
	memset(argv, 'a', SW_ARGV_KEEP);
	memset(path, 'p', 1000);
	path[1000] = '\0';
	worst_event(SW_EV_FORK, path, "bash", argv, SW_ARGV_KEEP, "abc");
	ev.n_ancestry = 0;
	ev.n_tags = 0;
	n = emit_both(&sw_emit_json_ops, &sw_emit_json_ref_ops);
	assert_true(n <= SW_LINE_MAX);
	assert_false(has("_truncated"));
	free(path);
	free(comm);
	free(argv);
	free(cid);
}

FAST_MAIN(T(test_line_bounds))
