/* SPDX-License-Identifier: MIT */
/* The lineage table: families, generations, tombstones, bounds. */
#include "config.h"

#include <fcntl.h>
#include <pwd.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "lineage_int.h"

#define SEC 1000000000ull

static struct sw_users *users;
static struct sw_lineage *lin;
static struct sw_event ev;
static struct sw_proc_snap snap;

static void reset(unsigned cap, unsigned ancestry, uint64_t linger_ns)
{
	struct sw_lineage_conf conf = {
		.cap = cap, .zombie_cap = cap, .gone_cap = cap,
		.ancestry = ancestry, .linger_ns = linger_ns, .procfd = -1,
	};

	sw_lineage_free(lin);
	lin = sw_lineage_new(&conf, users);
	assert_non_null(lin);
}

/* The table's own counters, as they are now. */
static struct sw_lineage_counters counters(void)
{
	struct sw_lineage_counters c;

	sw_lineage_counters(lin, &c);
	return c;
}

static int setup(void **state)
{
	users = sw_users_new();
	if (!users)
		return -1;
	lin = NULL;
	reset(1000, 8, 5 * SEC);
	return 0;
}

static int teardown(void **state)
{
	sw_lineage_free(lin);
	sw_users_free(users);
	lin = NULL;
	return 0;
}

/* Seeds pid as read from /proc, started start_s seconds after boot. */
static void seed(int pid, int ppid, const char *comm, const char *exe,
		 unsigned start_s, uint32_t uid)
{
	static char argv[64];

	memset(&snap, 0, sizeof(snap));
	snap.argv = argv;
	snap.argv_cap = sizeof(argv);
	snap.have = SW_HAVE_PPID | SW_HAVE_COMM | SW_HAVE_START | SW_HAVE_CREDS |
		    SW_HAVE_EXE | SW_HAVE_CWD | SW_HAVE_ARGV;
	snap.stat.pid = pid;
	snprintf(snap.stat.comm, sizeof(snap.stat.comm), "%s", comm);
	snap.stat.state = 'S';
	snap.stat.ppid = ppid;
	snap.stat.start_ticks = (uint64_t)start_s * (uint64_t)sysconf(_SC_CLK_TCK);
	snap.status.tgid = pid;
	snap.status.ppid = ppid;
	snap.status.uid = snap.status.euid = uid;
	snap.status.gid = snap.status.egid = uid;
	snprintf(snap.exe, sizeof(snap.exe), "%s", exe);
	snprintf(snap.cwd, sizeof(snap.cwd), "/");
	snap.argv_len = (size_t)snprintf(argv, sizeof(argv), "%s", comm) + 1;
	assert_int_equal(sw_lineage_seed(lin, pid, &snap), 0);
}

static void event(enum sw_ev_type type, int pid, int tid, uint64_t ktime)
{
	memset(&ev, 0, sizeof(ev));
	ev.type = type;
	ev.pid = pid;
	ev.tid = tid;
	ev.thread = pid != tid && (type == SW_EV_FORK || type == SW_EV_EXIT);
	ev.ktime_ns = ktime;
}

static void fork_(int parent, int child, uint64_t ktime)
{
	event(SW_EV_FORK, child, child, ktime);
	ev.u.fork.parent_pid = ev.u.fork.parent_tid = parent;
	sw_lineage_apply(lin, &ev);
}

static void exit_(int pid, int code, uint64_t ktime)
{
	event(SW_EV_EXIT, pid, pid, ktime);
	ev.u.exit.status = (uint32_t)code << 8;
	ev.u.exit.exit_code = code;
	sw_lineage_apply(lin, &ev);
}

/* An exec enriched as sw_enrich_exec does it (comm in a 17-byte array). */
static char exec_comm[SW_COMM_LEN + 1];

static void exec_(int pid, int ppid, const char *comm, const char *exe,
		  const char *argv, size_t argv_len, uint64_t ktime)
{
	event(SW_EV_EXEC, pid, pid, ktime);
	snprintf(exec_comm, sizeof(exec_comm), "%s", comm);
	ev.have = SW_HAVE_PPID | SW_HAVE_COMM | SW_HAVE_EXE | SW_HAVE_CWD |
		  SW_HAVE_ARGV | SW_HAVE_CREDS | SW_HAVE_START;
	ev.ppid = ppid;
	ev.comm = exec_comm;
	ev.exe = exe;
	ev.cwd = "/tmp";
	ev.argv = argv;
	ev.argv_len = argv_len;
	ev.uid = 1000;
	ev.euid = 0;
	ev.gid = ev.egid = 1000;
	ev.start_ns = ktime - 1;
	sw_lineage_apply(lin, &ev);
}

static void assert_ancestry(unsigned n, ...)
{
	va_list ap;

	assert_int_equal(ev.n_ancestry, n);
	va_start(ap, n);
	for (unsigned i = 0; i < n; i++)
		assert_int_equal(ev.ancestry[i].pid, va_arg(ap, int));
	va_end(ap);
}

/* A seeded shell forks, the child execs, then exits. */
static void test_life(void **state)
{
	struct passwd *pw = getpwuid(0);
	struct sw_proc *p;

	seed(1, 0, "systemd", "/sbin/init", 0, 0);
	seed(100, 1, "bash", "/bin/bash", 1, 1000);
	sw_lineage_seal(lin);
	assert_int_equal(sw_lineage_count(lin), 2);
	assert_int_equal(counters().tracked, 2);

	fork_(100, 200, 5 * SEC);
	assert_true(ev.have & SW_HAVE_PPID);
	assert_int_equal(ev.ppid, 100);
	assert_string_equal(ev.comm, "bash");		/* inherited */
	assert_string_equal(ev.exe, "/bin/bash");
	assert_int_equal(ev.uid, 1000);
	assert_ancestry(2, 100, 1);
	assert_string_equal(ev.ancestry[0].comm, "bash");
	assert_string_equal(ev.ancestry[1].exe, "/sbin/init");
	p = sw_lineage_find(lin, 200);
	assert_non_null(p);
	assert_int_equal(p->start_ns, 5 * SEC);
	assert_false(p->seeded);
	assert_int_equal(sw_lineage_find(lin, 100)->forks, 1);
	assert_int_equal(counters().tracked, 3);
	assert_int_equal(counters().peak_tracked, 3);

	exec_(200, 100, "ls", "/bin/ls", "ls\0-l\0", 6, 6 * SEC);
	assert_string_equal(p->comm, "ls");
	assert_string_equal(p->exe->s, "/bin/ls");
	assert_int_equal(p->euid, 0);
	assert_ancestry(2, 100, 1);
	if (pw)
		assert_string_equal(ev.user, pw->pw_name);

	exit_(200, 2, 7500 * 1000000ull);
	assert_int_equal(ev.ppid, 100);
	assert_string_equal(ev.comm, "ls");
	assert_string_equal(ev.exe, "/bin/ls");
	assert_int_equal(ev.argv_len, 6);
	assert_memory_equal(ev.argv, "ls\0-l\0", 6);
	assert_true(ev.have & SW_HAVE_DURATION);
	assert_true(ev.duration_s > 2.4999 && ev.duration_s < 2.5001);
	assert_ancestry(2, 100, 1);
	/* A tombstone until it expires. */
	assert_true(p->exited);
	assert_ptr_equal(sw_lineage_find(lin, 200), p);
	assert_int_equal(sw_lineage_count(lin), 3);

	/* The exec's strings are copies: the event's buffers may go. */
	assert_ptr_not_equal(p->exe->s, "/bin/ls");
}

static void test_ancestry_limit(void **state)
{
	reset(100, 3, SEC);
	seed(1, 0, "init", "/init", 0, 0);
	fork_(1, 10, 2 * SEC);
	fork_(10, 11, 3 * SEC);
	fork_(11, 12, 4 * SEC);
	fork_(12, 13, 5 * SEC);
	assert_ancestry(3, 12, 11, 10);

	reset(100, 0, SEC);
	seed(1, 0, "init", "/init", 0, 0);
	fork_(1, 10, 2 * SEC);
	assert_ancestry(0);
	assert_int_equal(ev.ppid, 1);

	/* Two entries naming each other as parent never form a loop. */
	reset(100, SW_ANCESTRY_MAX, SEC);
	seed(20, 21, "a", "/a", 1, 0);
	seed(21, 20, "b", "/b", 1, 0);
	sw_lineage_link(lin, sw_lineage_find(lin, 20));
	event(SW_EV_SID, 20, 20, 3 * SEC);
	sw_lineage_apply(lin, &ev);
	assert_true(ev.n_ancestry <= 1);
	event(SW_EV_SID, 21, 21, 3 * SEC);
	sw_lineage_apply(lin, &ev);
	assert_true(ev.n_ancestry <= 1);
}

static void test_thread(void **state)
{
	seed(100, 1, "bash", "/bin/bash", 1, 1000);
	sw_lineage_seal(lin);
	event(SW_EV_FORK, 100, 101, 5 * SEC);
	ev.thread = true;
	ev.u.fork.parent_pid = 1;
	sw_lineage_apply(lin, &ev);
	assert_null(sw_lineage_find(lin, 101));
	assert_int_equal(sw_lineage_count(lin), 1);
	assert_int_equal(sw_lineage_find(lin, 100)->start_ns, SEC);

	/* A thread exit never ends the process. */
	event(SW_EV_EXIT, 100, 101, 6 * SEC);
	sw_lineage_apply(lin, &ev);
	assert_false(sw_lineage_find(lin, 100)->exited);
	assert_false(ev.have & SW_HAVE_DURATION);
}

static void test_pid_reuse(void **state)
{
	struct sw_proc *p;

	seed(100, 1, "bash", "/bin/bash", 1, 1000);
	seed(300, 1, "old", "/old", 1, 0);
	/* Before sealing, the fork of a seeded process is that process. */
	fork_(100, 300, 2 * SEC);
	p = sw_lineage_find(lin, 300);
	assert_string_equal(p->comm, "old");
	assert_int_equal(p->ppid, 100);
	assert_int_equal(p->start_ns, 2 * SEC);
	assert_false(p->seeded);

	/* After it, a fork for a live pid is a new generation. */
	seed(301, 1, "old", "/old", 1, 0);
	sw_lineage_seal(lin);
	fork_(100, 301, 9 * SEC);
	p = sw_lineage_find(lin, 301);
	assert_string_equal(p->comm, "bash");
	assert_string_equal(p->exe->s, "/bin/bash");
	assert_int_equal(p->ppid, 100);
	assert_int_equal(p->start_ns, 9 * SEC);
	assert_int_equal(sw_lineage_count(lin), 3);

	/* A tombstone is replaced too, and leaves the exited queue. */
	exit_(301, 0, 10 * SEC);
	fork_(100, 301, 11 * SEC);
	p = sw_lineage_find(lin, 301);
	assert_false(p->exited);
	assert_int_equal(p->start_ns, 11 * SEC);
	sw_lineage_expire(lin, 100 * SEC);
	assert_ptr_equal(sw_lineage_find(lin, 301), p);
	assert_int_equal(counters().evicted, 0);
}

/* Exec from a non-leader thread: EXIT of the tgid, then EXEC, no fork. */
static void test_revive(void **state)
{
	struct sw_proc *p;

	seed(100, 1, "bash", "/bin/bash", 1, 1000);
	sw_lineage_seal(lin);
	fork_(100, 400, 5 * SEC);
	exit_(400, 0, 6 * SEC);
	p = sw_lineage_find(lin, 400);
	assert_true(p->exited);
	exec_(400, 100, "py", "/usr/bin/py", "py\0", 3, 6 * SEC);
	assert_ptr_equal(sw_lineage_find(lin, 400), p);
	assert_false(p->exited);
	assert_string_equal(p->comm, "py");
	assert_int_equal(p->start_ns, 5 * SEC);
	sw_lineage_expire(lin, 100 * SEC);
	assert_ptr_equal(sw_lineage_find(lin, 400), p);
	assert_int_equal(counters().evicted, 0);
	exit_(400, 0, 8 * SEC);
	assert_true(ev.duration_s > 2.999 && ev.duration_s < 3.001);
	assert_string_equal(ev.comm, "py");
}

static int reaped_below;

/* The sweep's question, answered by the test: pids below are reaped. */
static bool fake_reaped(int pid)
{
	return pid < reaped_below;
}

static void test_sweep(void **state)
{
	struct sw_lineage_conf conf = {
		.cap = 100, .zombie_cap = 100, .gone_cap = 100, .ancestry = 8,
		.linger_ns = SEC, .procfd = -1, .reaped = fake_reaped,
	};

	sw_lineage_free(lin);
	lin = sw_lineage_new(&conf, users);
	assert_non_null(lin);
	seed(100, 1, "bash", "/bin/bash", 1, 1000);
	sw_lineage_seal(lin);
	for (int pid = 500; pid < 510; pid++) {
		fork_(100, pid, 10 * SEC);
		exit_(pid, 0, 11 * SEC);
	}
	reaped_below = 505;
	sw_lineage_sweep(lin, 12 * SEC, false);
	assert_int_equal(counters().zombies, 5);
	assert_int_equal(sw_lineage_find(lin, 100)->zombies, 5);
	/* Only the new zombies, unless all are asked for. */
	reaped_below = 510;
	sw_lineage_sweep(lin, 13 * SEC, false);
	assert_int_equal(counters().zombies, 5);
	sw_lineage_sweep(lin, 13 * SEC, true);
	assert_int_equal(counters().zombies, 0);
	assert_true(sw_lineage_find(lin, 509)->exited);
	sw_lineage_expire(lin, 14 * SEC);
	assert_null(sw_lineage_find(lin, 509));
}

static void test_expire(void **state)
{
	reset(100, 8, SEC);
	seed(100, 1, "bash", "/bin/bash", 1, 1000);
	sw_lineage_seal(lin);
	fork_(100, 500, 10 * SEC);
	fork_(100, 501, 10 * SEC);
	exit_(500, 0, 11 * SEC);
	exit_(501, 0, 11500 * 1000000ull);
	/* Zombies stay until reaped; the linger counts from the reap. */
	sw_lineage_expire(lin, 100 * SEC);
	assert_non_null(sw_lineage_find(lin, 500));
	assert_int_equal(counters().zombies, 2);
	assert_int_equal(sw_lineage_find(lin, 100)->zombies, 2);
	sw_lineage_mark_reaped(lin, sw_lineage_find(lin, 500), 11 * SEC);
	sw_lineage_mark_reaped(lin, sw_lineage_find(lin, 501), 11500 * 1000000ull);
	assert_int_equal(counters().zombies, 0);
	assert_int_equal(sw_lineage_find(lin, 100)->zombies, 0);
	sw_lineage_expire(lin, 11900 * 1000000ull);
	assert_non_null(sw_lineage_find(lin, 500));
	assert_int_equal(counters().evicted, 0);
	sw_lineage_expire(lin, 12 * SEC);
	assert_null(sw_lineage_find(lin, 500));
	assert_non_null(sw_lineage_find(lin, 501));
	assert_int_equal(counters().evicted, 1);
	assert_int_equal(sw_lineage_count(lin), 2);
	assert_int_equal(counters().tracked, 2);
	sw_lineage_expire(lin, 1000 * SEC);
	assert_null(sw_lineage_find(lin, 501));
	assert_int_equal(counters().evicted, 2);
	/* Live entries never expire. */
	assert_non_null(sw_lineage_find(lin, 100));
	assert_int_equal(counters().peak_tracked, 3);
}

static void test_cap(void **state)
{
	reset(4, 8, 60 * SEC);
	seed(1, 0, "init", "/init", 0, 0);
	seed(2, 1, "two", "/two", 1, 0);
	seed(3, 1, "three", "/three", 1, 0);
	seed(4, 1, "four", "/four", 1, 0);
	sw_lineage_seal(lin);
	exit_(3, 0, 5 * SEC);
	exit_(2, 0, 6 * SEC);
	fork_(1, 5, 7 * SEC);			/* evicts 3, the oldest exited */
	assert_null(sw_lineage_find(lin, 3));
	assert_non_null(sw_lineage_find(lin, 2));
	assert_non_null(sw_lineage_find(lin, 5));
	assert_int_equal(counters().evicted, 1);
	fork_(1, 6, 8 * SEC);			/* evicts 2 */
	assert_null(sw_lineage_find(lin, 2));
	assert_int_equal(counters().evicted, 2);
	assert_int_equal(sw_lineage_count(lin), 4);
	/* Full of live processes: the new one goes untracked. */
	fork_(1, 7, 9 * SEC);
	assert_null(sw_lineage_find(lin, 7));
	assert_int_equal(counters().untracked, 1);
	assert_int_equal(sw_lineage_count(lin), 4);
	assert_int_equal(counters().peak_tracked, 4);
	/* A live thread of an exited, evictable parent forks. */
	reset(2, 8, 60 * SEC);
	seed(1, 0, "init", "/init", 0, 0);
	seed(2, 1, "two", "/two", 1, 0);
	sw_lineage_seal(lin);
	exit_(2, 0, 5 * SEC);
	fork_(2, 8, 6 * SEC);
	assert_non_null(sw_lineage_find(lin, 8));
	assert_int_equal(ev.ppid, 2);
	assert_true(ev.have & SW_HAVE_COMM);
	assert_string_equal(ev.comm, "two");
	assert_string_equal(ev.exe, "/two");
	fork_(1, 7, 9 * SEC);
	/* Its exit still names the parent the kernel gave. */
	event(SW_EV_EXIT, 7, 7, 10 * SEC);
	ev.u.exit.kernel_ppid = 1;
	sw_lineage_apply(lin, &ev);
	assert_true(ev.have & SW_HAVE_PPID);
	assert_int_equal(ev.ppid, 1);
	assert_false(ev.have & SW_HAVE_DURATION);
}

static void test_ids(void **state)
{
	struct sw_proc *p;

	seed(600, 1, "su", "/bin/su", 1, 1000);
	event(SW_EV_UID, 600, 600, 5 * SEC);
	ev.u.id.r = 0;
	ev.u.id.e = 2;
	sw_lineage_apply(lin, &ev);
	assert_true(ev.u.id.have_prev);
	assert_int_equal(ev.u.id.prev_r, 1000);
	assert_int_equal(ev.u.id.prev_e, 1000);
	p = sw_lineage_find(lin, 600);
	assert_int_equal(p->uid, 0);
	assert_int_equal(p->euid, 2);
	assert_int_equal(ev.euid, 2);

	event(SW_EV_GID, 600, 600, 5 * SEC);
	ev.u.id.r = 7;
	ev.u.id.e = 8;
	sw_lineage_apply(lin, &ev);
	assert_int_equal(ev.u.id.prev_r, 1000);
	assert_int_equal(p->gid, 7);
	assert_int_equal(p->egid, 8);
	assert_int_equal(p->uid, 0);

	/* One thread's change: reported, the process's ids kept. */
	event(SW_EV_UID, 600, 601, 6 * SEC);
	ev.u.id.r = ev.u.id.e = 5;
	sw_lineage_apply(lin, &ev);
	assert_int_equal(ev.u.id.prev_r, 0);
	assert_int_equal(p->uid, 0);

	/* Unknown credentials: no previous value to give. */
	seed(700, 1, "x", "/x", 1, 0);
	sw_lineage_find(lin, 700)->have &= ~SW_HAVE_CREDS;
	event(SW_EV_UID, 700, 700, 6 * SEC);
	sw_lineage_apply(lin, &ev);
	assert_false(ev.u.id.have_prev);
}

static void test_comm_ptrace(void **state)
{
	struct sw_proc *p;

	seed(100, 1, "bash", "/bin/bash", 1, 1000);
	seed(50, 1, "gdb", "/usr/bin/gdb", 1, 1000);
	event(SW_EV_COMM, 100, 100, 5 * SEC);
	memcpy(ev.u.comm.comm, "0123456789abcdef", SW_COMM_LEN + 1);
	sw_lineage_apply(lin, &ev);
	assert_true(ev.u.comm.have_prev);
	assert_string_equal(ev.u.comm.prev, "bash");
	p = sw_lineage_find(lin, 100);
	assert_string_equal(p->comm, "0123456789abcdef");

	event(SW_EV_COMM, 100, 101, 6 * SEC);	/* a thread renamed */
	strcpy(ev.u.comm.comm, "worker");
	sw_lineage_apply(lin, &ev);
	assert_false(ev.u.comm.have_prev);	/* the thread's old name is unknown */
	assert_string_equal(p->comm, "0123456789abcdef");

	event(SW_EV_PTRACE, 100, 100, 7 * SEC);
	ev.u.ptrace.tracer_pid = ev.u.ptrace.tracer_tid = 50;
	sw_lineage_apply(lin, &ev);
	assert_string_equal(ev.u.ptrace.tracer_comm, "gdb");
	ev.u.ptrace.tracer_pid = 51;
	sw_lineage_apply(lin, &ev);
	assert_null(ev.u.ptrace.tracer_comm);
}

/* A "parent" younger than its child is a reused pid: the chain stops. */
static void test_ancestry_guard(void **state)
{
	seed(1, 0, "init", "/init", 0, 0);
	seed(700, 1, "new", "/new", 10, 0);
	seed(701, 700, "child", "/child", 1, 0);
	event(SW_EV_SID, 701, 701, 20 * SEC);
	sw_lineage_apply(lin, &ev);
	assert_int_equal(ev.ppid, 700);
	assert_ancestry(0);

	/* The same start (ticks are coarse) is not younger. */
	seed(702, 700, "child", "/child", 10, 0);
	event(SW_EV_SID, 702, 702, 20 * SEC);
	sw_lineage_apply(lin, &ev);
	assert_ancestry(2, 700, 1);
}

static void test_exec_unknown(void **state)
{
	struct sw_proc *p;

	sw_lineage_seal(lin);
	exec_(800, 1, "cron", "/usr/sbin/cron", "cron\0-f\0", 8, 9 * SEC);
	p = sw_lineage_find(lin, 800);
	assert_non_null(p);
	assert_int_equal(p->ppid, 1);
	assert_int_equal(p->start_ns, 9 * SEC - 1);
	assert_string_equal(p->comm, "cron");
	assert_int_equal(p->argv->len, 8);
	assert_int_equal(ev.n_ancestry, 0);
}

/* Many entries: the hash table grows and finds them all. */
static void test_many(void **state)
{
	reset(20000, 8, SEC);
	seed(1, 0, "init", "/init", 0, 0);
	sw_lineage_seal(lin);
	for (int pid = 2; pid < 12000; pid++)
		fork_(1, pid, 2 * SEC + (uint64_t)pid);
	assert_int_equal(sw_lineage_count(lin), 11999);
	for (int pid = 1; pid < 12000; pid++) {
		struct sw_proc *p = sw_lineage_find(lin, pid);

		assert_non_null(p);
		assert_int_equal(p->pid, pid);
	}
	for (int pid = 2; pid < 12000; pid++)
		exit_(pid, 0, 3 * SEC);
	assert_int_equal(sw_lineage_find(lin, 1)->zombies, 11998);
	for (int pid = 2; pid < 12000; pid++)
		sw_lineage_mark_reaped(lin, sw_lineage_find(lin, pid), 3 * SEC);
	assert_int_equal(sw_lineage_find(lin, 1)->zombies, 0);
	sw_lineage_expire(lin, 10 * SEC);
	assert_int_equal(sw_lineage_count(lin), 1);
	assert_int_equal(counters().evicted, 11998);
}

/*
 * The tree stays a tree: a process is never linked under its own
 * descendant, even when their start times tie within the slack; and a
 * 30,000-deep chain is marked to its end by --pid.
 */
static void test_no_cycle(void **state)
{
	struct sw_proc *p;

	reset(40000, 8, 5 * SEC);
	seed(2, 1, "init2", "/sbin/init", 1, 0);
	seed(10, 2, "a", "/bin/a", 5, 0);
	seed(11, 10, "b", "/bin/b", 5, 0);
	seed(12, 11, "c", "/bin/c", 5, 0);
	p = sw_lineage_find(lin, 10);
	assert_non_null(p);
	sw_lineage_reparent(lin, p, 12);	/* 12 is below 10: refused */
	assert_null(p->parent);
	assert_ptr_equal(sw_lineage_find(lin, 12)->parent, sw_lineage_find(lin, 11));
	sw_lineage_reparent(lin, p, 2);		/* older, not below: linked */
	assert_ptr_equal(p->parent, sw_lineage_find(lin, 2));
	/* One younger than 10 but not below it may not adopt it either. */
	seed(13, 2, "d", "/bin/d", 9, 0);
	sw_lineage_reparent(lin, p, 13);
	assert_null(p->parent);

	/* A 30,000-deep chain under 100: all of it marked. */
	seed(100, 1, "chain", "/bin/chain", 20, 0);
	for (int pid = 101; pid < 30100; pid++)
		fork_(pid - 1, pid, 30 * SEC + (uint64_t)pid);
	sw_lineage_mark_subtree(lin, 100);
	assert_true(sw_lineage_find(lin, 30099)->marked);
	assert_true(sw_lineage_find(lin, 15000)->marked);
	assert_false(sw_lineage_find(lin, 10)->marked);
}

/*
 * A multi-threaded parent (runc, a Go program, a C program with pthreads)
 * exits: its live children are handed to a reaper by the exit of whichever
 * of its threads goes last, which is the leader or not.  A fake /proc
 * tells the table where each child is now.
 */
static char fake_root[64];

/* The child's /proc/PID/stat: started at boot, its parent ppid. */
static void fake_stat(int pid, int ppid)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%d", fake_root, pid);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/%d/stat", fake_root, pid);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "%d (sleep) S %d 1 1 0 -1 4194304 0 0 0 0 1 2 0 0 20 0 1 0 "
		"0 1000 42 0\n", pid, ppid);
	fclose(f);
}

static int setup_fakeproc(void **state)
{
	struct sw_lineage_conf conf = {
		.cap = 1000, .zombie_cap = 1000, .gone_cap = 1000,
		.ancestry = 8, .linger_ns = 5 * SEC,
	};

	users = sw_users_new();
	strcpy(fake_root, "/tmp/sw-fakeproc-XXXXXX");
	if (!users || !mkdtemp(fake_root))
		return -1;
	conf.procfd = open(fake_root, O_RDONLY | O_DIRECTORY);
	lin = conf.procfd < 0 ? NULL : sw_lineage_new(&conf, users);
	return lin ? 0 : -1;
}

static int teardown_fakeproc(void **state)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", fake_root);
	teardown(state);
	return system(cmd) == 0 ? 0 : -1;
}

static void thread_exit(int pid, int tid, uint64_t ktime)
{
	event(SW_EV_EXIT, pid, tid, ktime);
	ev.u.exit.kernel_ppid = 100;
	sw_lineage_apply(lin, &ev);
}

/* The reparent lines after the last exit: each pid, -1 at the end. */
static void assert_reparents(int first, ...)
{
	struct sw_event rp;
	va_list ap;

	va_start(ap, first);
	for (int pid = first; pid > 0; pid = va_arg(ap, int)) {
		assert_int_equal(sw_lineage_pop_reparent(lin, &rp), 1);
		assert_int_equal(rp.type, SW_EV_REPARENT);
		assert_int_equal(rp.pid, pid);
		assert_int_equal(rp.ppid, 1);
		assert_int_equal(rp.u.reparent.prev_ppid, 200);
		assert_int_equal(sw_lineage_find(lin, pid)->ppid, 1);
	}
	va_end(ap);
	assert_int_equal(sw_lineage_pop_reparent(lin, &rp), 0);
}

/* init, the test's shell 100, the threaded parent 200 and its child 300. */
static void threaded_family(void)
{
	seed(1, 0, "systemd", "/sbin/init", 0, 0);
	seed(100, 1, "bash", "/bin/bash", 1, 0);
	sw_lineage_seal(lin);
	fork_(100, 200, 2 * SEC);
	for (int tid = 201; tid <= 204; tid++) {
		event(SW_EV_FORK, 200, tid, 3 * SEC);
		ev.u.fork.parent_pid = 100;
		sw_lineage_apply(lin, &ev);
	}
	fork_(200, 300, 4 * SEC);
	fake_stat(300, 200);
}

/* The leader goes last (exit() in main): its exit hands the child over. */
static void test_threads_leader_last(void **state)
{
	threaded_family();
	thread_exit(200, 201, 5 * SEC);	/* the child is still the group's */
	assert_reparents(-1);
	/*
	 * While the leader lives, its exit is still to come: a thread's exit
	 * reads nothing (were the child's parent read, it would show 1).
	 */
	fake_stat(300, 1);
	thread_exit(200, 202, 5 * SEC);
	thread_exit(200, 203, 5 * SEC);
	thread_exit(200, 204, 5 * SEC);
	assert_reparents(-1);
	assert_int_equal(sw_lineage_find(lin, 300)->ppid, 200);
	exit_(200, 0, 6 * SEC);
	assert_reparents(300, -1);
	assert_ptr_equal(sw_lineage_find(lin, 300)->parent, sw_lineage_find(lin, 1));
}

/*
 * The leader goes first (pthread_exit in main, or exit() in another
 * thread that the leader's SIGKILL beats): a thread's exit, the last,
 * hands the child over, and no later exit tells it again.
 */
static void test_threads_leader_first(void **state)
{
	threaded_family();
	exit_(200, 0, 5 * SEC);
	assert_true(sw_lineage_find(lin, 200)->exited);
	assert_reparents(-1);
	thread_exit(200, 201, 6 * SEC);
	thread_exit(200, 202, 6 * SEC);
	thread_exit(200, 203, 6 * SEC);
	assert_reparents(-1);
	fake_stat(300, 1);
	thread_exit(200, 204, 7 * SEC);
	assert_reparents(300, -1);
	assert_int_equal(sw_lineage_find(lin, 200)->live_kids, 0);
	thread_exit(200, 204, 7 * SEC);
	assert_reparents(-1);
}

/* The leader in the middle: the child moves with a thread's exit after it. */
static void test_threads_leader_between(void **state)
{
	threaded_family();
	thread_exit(200, 201, 5 * SEC);
	thread_exit(200, 202, 5 * SEC);
	exit_(200, 0, 5 * SEC);
	assert_reparents(-1);
	thread_exit(200, 203, 5 * SEC);
	assert_reparents(-1);
	fake_stat(300, 1);
	thread_exit(200, 204, 6 * SEC);
	assert_reparents(300, -1);
}

/*
 * Children forked by different threads move with their own thread's exit.
 * A thread's exit reads one child, the oldest: when that one has not moved
 * the others are not read, and wait for the next exit of the group, the
 * last of which tells them all.
 */
static void test_threads_many_children(void **state)
{
	threaded_family();
	fork_(200, 301, 4 * SEC);	/* by another thread */
	fake_stat(301, 200);
	exit_(200, 0, 5 * SEC);
	assert_reparents(-1);
	fake_stat(301, 1);		/* its thread has gone */
	thread_exit(200, 201, 6 * SEC);
	assert_reparents(-1);		/* 300 read only: not moved */
	assert_int_equal(sw_lineage_find(lin, 301)->ppid, 200);
	fake_stat(300, 1);
	thread_exit(200, 202, 6 * SEC);
	assert_reparents(300, 301, -1);
	thread_exit(200, 203, 7 * SEC);
	thread_exit(200, 204, 7 * SEC);
	assert_reparents(-1);
}

/* A thread's exit in a process without live children reads nothing. */
static void test_threads_no_children(void **state)
{
	threaded_family();
	fake_stat(300, 1);
	exit_(300, 0, 5 * SEC);		/* the child ends first */
	assert_reparents(-1);
	thread_exit(200, 201, 6 * SEC);
	assert_int_equal(sw_lineage_pop_reparent(lin, &ev), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_life, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_cycle, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ancestry_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_thread, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pid_reuse, setup, teardown),
		cmocka_unit_test_setup_teardown(test_revive, setup, teardown),
		cmocka_unit_test_setup_teardown(test_expire, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ids, setup, teardown),
		cmocka_unit_test_setup_teardown(test_comm_ptrace, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ancestry_guard, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exec_unknown, setup, teardown),
		cmocka_unit_test_setup_teardown(test_many, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sweep, setup, teardown),
		cmocka_unit_test_setup_teardown(test_threads_leader_last,
						setup_fakeproc, teardown_fakeproc),
		cmocka_unit_test_setup_teardown(test_threads_leader_first,
						setup_fakeproc, teardown_fakeproc),
		cmocka_unit_test_setup_teardown(test_threads_leader_between,
						setup_fakeproc, teardown_fakeproc),
		cmocka_unit_test_setup_teardown(test_threads_many_children,
						setup_fakeproc, teardown_fakeproc),
		cmocka_unit_test_setup_teardown(test_threads_no_children,
						setup_fakeproc, teardown_fakeproc),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
