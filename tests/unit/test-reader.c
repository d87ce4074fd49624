/* SPDX-License-Identifier: MIT */
/*
 * /proc reads with a deadline, on a fake /proc tree whose cmdline is a FIFO:
 * opening it blocks until a writer comes, as a read of argument pages
 * mapped from a stalled FUSE file does.  The reader gives up at the
 * deadline, reads the rest, does not read that process again while its
 * reader is stuck, caps the stuck readers, and recovers when they return.
 * And the check that an exec's /proc/PID is still the process that exec'd.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "enrich.h"
#include "reader.h"

#define DEADLINE_MS 100
#define MS 1000000ull

static char root[64];
static int procfd = -1;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void put(int pid, const char *name, const char *text, size_t len)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%d", root, pid);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/%d/%s", root, pid, name);
	unlink(path);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	fclose(f);
}

static void fake_stat(int pid, unsigned long start)
{
	char buf[512];
	int n;

	n = snprintf(buf, sizeof(buf),
		     "%d (p%d) S 1 1 1 0 -1 4194304 0 0 0 0 1 2 0 0 20 0 1 0 "
		     "%lu 1000 42 0\n", pid, pid, start);
	put(pid, "stat", buf, (size_t)n);
}

/* A process as /proc shows it, started start ticks after boot. */
static void fake(int pid, unsigned long start)
{
	char buf[512], path[256];
	int n;

	fake_stat(pid, start);
	n = snprintf(buf, sizeof(buf), "Name:\tp\nTgid:\t%d\nPPid:\t1\n"
		     "Uid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\n", pid);
	put(pid, "status", buf, (size_t)n);
	put(pid, "cmdline", "prog\0arg\0", 9);
	snprintf(path, sizeof(path), "%s/%d/exe", root, pid);
	unlink(path);
	assert_int_equal(symlink("/usr/bin/prog", path), 0);
	snprintf(path, sizeof(path), "%s/%d/cwd", root, pid);
	unlink(path);
	assert_int_equal(symlink("/", path), 0);
}

static char *cmdline_path(int pid)
{
	static char path[256];

	snprintf(path, sizeof(path), "%s/%d/cmdline", root, pid);
	return path;
}

/* Its command line blocks whoever reads it, until released. */
static void block(int pid)
{
	unlink(cmdline_path(pid));
	assert_int_equal(mkfifo(cmdline_path(pid), 0600), 0);
}

/* Lets every reader blocked on pid's FIFO go: it reads an empty line. */
static void release(int pid)
{
	int fd = open(cmdline_path(pid), O_WRONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd >= 0)
		close(fd);
	unlink(cmdline_path(pid));
	put(pid, "cmdline", "prog\0arg\0", 9);
}

static unsigned stuck(struct sw_reader *r)
{
	struct sw_reader_counters c;

	sw_reader_counters(r, &c);
	return c.stuck;
}

/* Waits for the stuck readers to come down to n, 5 s at most. */
static void wait_stuck(struct sw_reader *r, unsigned n)
{
	for (int i = 0; i < 500 && stuck(r) != n; i++)
		usleep(10000);
	assert_int_equal(stuck(r), n);
}

static int setup(void **state)
{
	strcpy(root, "/tmp/sw-reader-XXXXXX");
	if (!mkdtemp(root))
		return -1;
	procfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return procfd < 0 ? -1 : 0;
}

static int teardown(void **state)
{
	char cmd[128];

	close(procfd);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	return system(cmd);
}

static void test_inline(void **state)
{
	struct sw_reader *r = sw_reader_new(procfd, 0);
	struct sw_proc_snap *s;

	assert_non_null(r);
	fake(10, 500);
	assert_int_equal(sw_reader_snap(r, 10, true, 0, 0, &s), 0);
	assert_true(s->have & SW_HAVE_ARGV);
	assert_int_equal(s->timedout, 0);
	assert_int_equal(s->argv_len, 9);
	assert_int_equal(sw_reader_snap(r, 11, true, 0, 0, &s), -ENOENT);
	sw_reader_free(r);
}

static void test_deadline(void **state)
{
	struct sw_reader *r = sw_reader_new(procfd, DEADLINE_MS);
	struct sw_reader_counters c;
	struct sw_proc_snap *s;
	uint64_t t;

	assert_non_null(r);
	fake(20, 700);
	/* A process that reads well, on the thread. */
	assert_int_equal(sw_reader_snap(r, 20, false, 0, 0, &s), 0);
	assert_true(s->have & SW_HAVE_ARGV);
	assert_memory_equal(s->argv, "prog\0arg\0", 9);
	assert_int_equal(s->timedout, 0);

	/* Its command line blocks: the deadline, then the rest. */
	block(20);
	t = now_ns();
	assert_int_equal(sw_reader_snap(r, 20, false, 0, 0, &s), 0);
	t = now_ns() - t;
	assert_true(t >= DEADLINE_MS * MS);
	assert_true(t < 3000 * MS);
	assert_int_equal(s->timedout, SW_HAVE_ARGV);
	assert_false(s->have & SW_HAVE_ARGV);
	assert_true(s->have & SW_HAVE_EXE);
	assert_true(s->have & SW_HAVE_COMM);
	assert_string_equal(s->exe, "/usr/bin/prog");
	assert_string_equal(s->stat.comm, "p20");
	assert_int_equal(stuck(r), 1);

	/* Not read again while its reader is stuck: no waiting. */
	t = now_ns();
	assert_int_equal(sw_reader_snap(r, 20, true, 0, 0, &s), 0);
	assert_true(now_ns() - t < DEADLINE_MS * MS);
	assert_int_equal(s->timedout, SW_HAVE_ARGV);
	assert_true(s->have & SW_HAVE_PPID);
	assert_true(s->have & SW_HAVE_CREDS);

	/* Other processes read as before, on a new reader. */
	fake(21, 800);
	assert_int_equal(sw_reader_snap(r, 21, false, 0, 0, &s), 0);
	assert_true(s->have & SW_HAVE_ARGV);
	assert_int_equal(s->timedout, 0);

	/* Another process on pid 20 (a later start) is read: it blocks too. */
	fake_stat(20, 900);
	assert_int_equal(sw_reader_snap(r, 20, false, 0, 0, &s), 0);
	assert_int_equal(s->timedout, SW_HAVE_ARGV);
	assert_int_equal(stuck(r), 2);
	sw_reader_counters(r, &c);
	assert_int_equal(c.timeouts, 2);
	assert_int_equal(c.skipped, 1);

	/* When the read returns at last, the readers end and it is read again. */
	release(20);
	wait_stuck(r, 0);
	assert_int_equal(sw_reader_snap(r, 20, false, 0, 0, &s), 0);
	assert_true(s->have & SW_HAVE_ARGV);
	assert_int_equal(s->timedout, 0);
	sw_reader_free(r);
}

struct loop_arg {
	struct sw_reader *r;
	int pid;
	volatile int returned;		/* it went on past the read */
};

static void *loop_thread(void *data)
{
	struct loop_arg *a = data;
	struct sw_proc_snap *s;

	sw_reader_snap(a->r, a->pid, false, 0, 0, &s);
	a->returned = 1;
	return NULL;
}

/*
 * Inline: the caller reads on its own thread; a watcher that finds it in
 * the same read on two ticks deposes it and carries on: the process is not
 * read again while the read blocks, and the deposed thread, when its read
 * returns, ends there and then.
 */
static void test_depose(void **state)
{
	struct sw_reader *r = sw_reader_new(procfd, DEADLINE_MS);
	struct loop_arg a = { .r = r, .pid = 30 };
	struct sw_reader_counters c;
	struct sw_proc_snap *s;
	uint64_t seen = 0, t;
	pthread_t th;
	bool got = false;

	assert_non_null(r);
	sw_reader_inline(r, true);
	fake(30, 600);
	fake(31, 610);
	assert_int_equal(sw_reader_snap(r, 30, false, 0, 0, &s), 0);
	assert_true(s->have & SW_HAVE_ARGV);
	assert_int_equal(s->timedout, 0);
	/* Nothing under way: no one to depose, however often asked. */
	assert_false(sw_reader_depose(r, &seen));
	assert_false(sw_reader_depose(r, &seen));

	block(30);
	assert_int_equal(pthread_create(&th, NULL, loop_thread, &a), 0);
	t = now_ns();
	for (int i = 0; i < 250 && !got; i++) {
		usleep(20000);
		got = sw_reader_depose(r, &seen);
	}
	assert_true(got);
	assert_true(now_ns() - t >= 20 * MS);	/* seen twice first */
	assert_int_equal(stuck(r), 1);
	sw_reader_counters(r, &c);
	assert_int_equal(c.timeouts, 1);

	/* This thread carries on: pid 30 unread, others read. */
	t = now_ns();
	assert_int_equal(sw_reader_snap(r, 30, false, 0, 0, &s), 0);
	assert_true(now_ns() - t < DEADLINE_MS * MS);
	assert_int_equal(s->timedout, SW_HAVE_ARGV);
	assert_true(s->have & SW_HAVE_EXE);
	assert_int_equal(sw_reader_snap(r, 31, false, 0, 0, &s), 0);
	assert_true(s->have & SW_HAVE_ARGV);
	assert_memory_equal(s->argv, "prog\0arg\0", 9);

	/* Its read returns: the deposed thread ends without going on. */
	release(30);
	assert_int_equal(pthread_join(th, NULL), 0);
	assert_int_equal(a.returned, 0);
	wait_stuck(r, 0);
	assert_int_equal(sw_reader_snap(r, 30, false, 0, 0, &s), 0);
	assert_true(s->have & SW_HAVE_ARGV);
	assert_int_equal(s->timedout, 0);
	sw_reader_free(r);
}

/* At most SW_READER_STUCK_MAX readers are left behind; then no waiting. */
static void test_bound(void **state)
{
	struct sw_reader *r = sw_reader_new(procfd, 20);
	struct sw_reader_counters c;
	struct sw_proc_snap *s;
	unsigned n = SW_READER_STUCK_MAX + 2;
	uint64_t t;

	assert_non_null(r);
	for (unsigned i = 0; i < n; i++) {
		fake(100 + (int)i, 1000 + i);
		block(100 + (int)i);
	}
	for (unsigned i = 0; i < SW_READER_STUCK_MAX; i++) {
		assert_int_equal(sw_reader_snap(r, 100 + (int)i, false, 0, 0, &s), 0);
		assert_int_equal(s->timedout, SW_HAVE_ARGV);
	}
	assert_int_equal(stuck(r), SW_READER_STUCK_MAX);
	for (unsigned i = SW_READER_STUCK_MAX; i < n; i++) {
		t = now_ns();
		assert_int_equal(sw_reader_snap(r, 100 + (int)i, false, 0, 0, &s), 0);
		assert_true(now_ns() - t < 20 * MS);
		assert_int_equal(s->timedout, SW_HAVE_ARGV);
		assert_true(s->have & SW_HAVE_EXE);
	}
	sw_reader_counters(r, &c);
	assert_int_equal(c.timeouts, SW_READER_STUCK_MAX);
	assert_int_equal(c.skipped, 2);
	assert_int_equal(c.stuck, SW_READER_STUCK_MAX);
	/* Freed with its readers stuck: they end on their own, later. */
	sw_reader_free(r);
	for (unsigned i = 0; i < n; i++)
		release(100 + (int)i);
	usleep(100000);
}

static void test_younger(void **state)
{
	long hz = sysconf(_SC_CLK_TCK);
	uint64_t tick = 1000000000ull / (uint64_t)hz;

	/* Started at the very tick of the exec, or before: the same process. */
	assert_false(sw_enrich_is_younger(100, 100 * tick, 0));
	assert_false(sw_enrich_is_younger(99, 100 * tick, 0));
	assert_false(sw_enrich_is_younger(100, 100 * tick + 1, 0));
	/* A tick later than the exec: another process on the pid. */
	assert_true(sw_enrich_is_younger(101, 100 * tick, 0));
	/* The boot clock ahead (a suspend): measured on the monotonic one. */
	assert_false(sw_enrich_is_younger(101, 100 * tick, tick));
	assert_true(sw_enrich_is_younger(102, 100 * tick, tick));
	assert_false(sw_enrich_is_younger(0, 0, 0));
	assert_false(sw_enrich_is_younger(1, 0, 5 * tick));
}

/* An exec whose /proc/PID shows a younger process: nothing of it is kept. */
static void test_exec_reused(void **state)
{
	struct sw_enrich e = { .procfd = procfd };
	long hz = sysconf(_SC_CLK_TCK);
	struct sw_event ev;

	e.reader = sw_reader_new(procfd, DEADLINE_MS);
	assert_non_null(e.reader);
	/* Started ten years after boot: later than any exec now. */
	fake(30, (unsigned long)hz * 3600 * 24 * 3650);
	sw_event_reset(&ev, SW_EV_EXEC);
	ev.pid = ev.tid = 30;
	ev.ktime_ns = now_ns();
	sw_enrich_exec(&e, &ev, NULL, false);
	assert_int_equal(e.pid_reused, 1);
	assert_false(ev.have & (SW_HAVE_ARGV | SW_HAVE_EXE | SW_HAVE_COMM));
	assert_null(ev.argv);
	for (unsigned i = 0; i < SW_UF__MAX; i++)
		assert_int_equal(ev.unread[i], SW_UNREAD_REUSED);

	/* Started at boot: the process that exec'd. */
	fake(30, 1);
	sw_event_reset(&ev, SW_EV_EXEC);
	ev.pid = ev.tid = 30;
	ev.ktime_ns = now_ns();
	sw_enrich_exec(&e, &ev, NULL, false);
	assert_int_equal(e.pid_reused, 1);
	assert_true(ev.have & SW_HAVE_ARGV);
	assert_false(ev.have & SW_HAVE_START);
	assert_false(sw_event_has_unread(&ev));

	/* Its command line blocks: the exec says so, field by field. */
	block(30);
	sw_event_reset(&ev, SW_EV_EXEC);
	ev.pid = ev.tid = 30;
	ev.ktime_ns = now_ns();
	sw_enrich_exec(&e, &ev, NULL, false);
	assert_int_equal(ev.unread[SW_UF_ARGV], SW_UNREAD_TIMEOUT);
	assert_int_equal(ev.unread[SW_UF_EXE], SW_UNREAD_NONE);
	assert_int_equal(ev.unread[SW_UF_CWD], SW_UNREAD_NONE);
	assert_string_equal(ev.exe, "/usr/bin/prog");
	release(30);
	wait_stuck(e.reader, 0);

	/* Gone before it could be read. */
	sw_event_reset(&ev, SW_EV_EXEC);
	ev.pid = ev.tid = 31;
	ev.ktime_ns = now_ns();
	sw_enrich_exec(&e, &ev, NULL, false);
	assert_int_equal(e.proc_gone, 1);
	assert_int_equal(ev.unread[SW_UF_ARGV], SW_UNREAD_GONE);
	sw_reader_free(e.reader);
}

/* Namespace links as /proc/PID/ns holds them. */
static void fake_ns(int pid, unsigned long mnt, unsigned long pidns)
{
	char path[256], target[64];

	snprintf(path, sizeof(path), "%s/%d/ns", root, pid);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/%d/ns/mnt", root, pid);
	snprintf(target, sizeof(target), "mnt:[%lu]", mnt);
	unlink(path);
	assert_int_equal(symlink(target, path), 0);
	snprintf(path, sizeof(path), "%s/%d/ns/pid", root, pid);
	snprintf(target, sizeof(target), "pid:[%lu]", pidns);
	unlink(path);
	assert_int_equal(symlink(target, path), 0);
}

static void exec_of(struct sw_enrich *e, struct sw_event *ev, int pid)
{
	sw_event_reset(ev, SW_EV_EXEC);
	ev->pid = ev->tid = pid;
	ev->ktime_ns = now_ns();
	sw_enrich_exec(e, ev, NULL, false);
}

/*
 * At exec, mount and pid namespaces other than the host's make a container
 * whose cgroup names no runtime (plain runc in /<id>); a mount namespace
 * alone (a service's PrivateTmp=) does not.
 */
static void test_exec_ns_container(void **state)
{
	struct sw_enrich e = { .procfd = procfd,
			       .host = { 4026531841ull, 4026531836ull } };
	struct sw_event ev;

	e.reader = sw_reader_new(procfd, DEADLINE_MS);
	assert_non_null(e.reader);
	fake(40, 1);
	fake_ns(40, 4026532174ul, 4026532177ul);
	put(40, "cgroup", "0::/swtest\n", 11);
	exec_of(&e, &ev, 40);
	assert_true(ev.have & SW_HAVE_CONTAINER);
	assert_string_equal(ev.container_id, "swtest");
	assert_string_equal(ev.container_runtime, "unknown");
	/* Its cgroup unread: the pid namespace names it, not the last one. */
	fake(41, 1);
	fake_ns(41, 4026532184ul, 4026532187ul);
	exec_of(&e, &ev, 41);
	assert_string_equal(ev.container_id, "pidns-4026532187");
	assert_string_equal(ev.container_runtime, "unknown");
	/* A runtime the cgroup names stays the runtime. */
	fake(42, 1);
	fake_ns(42, 4026532194ul, 4026532197ul);
	put(42, "cgroup", "0::/system.slice/docker-" "0123456789abcdef"
	    "0123456789abcdef" "0123456789abcdef" "0123456789abcdef"
	    ".scope\n", 95);
	exec_of(&e, &ev, 42);
	assert_string_equal(ev.container_runtime, "docker");
	/* PrivateTmp=: its own mount namespace, the host's pid one. */
	fake(43, 1);
	fake_ns(43, 4026532204ul, 4026531836ul);
	put(43, "cgroup", "0::/system.slice/cron.service\n", 30);
	exec_of(&e, &ev, 43);
	assert_true(ev.have & SW_HAVE_NS);
	assert_false(ev.have & SW_HAVE_CONTAINER);
	assert_null(ev.container_id);
	/* The host's namespaces unknown: no judgement. */
	e.host.mntns = e.host.pidns = 0;
	exec_of(&e, &ev, 41);
	assert_null(ev.container_id);
	sw_reader_free(e.reader);
}

static void test_names(void **state)
{
	assert_string_equal(sw_unread_name(SW_UNREAD_TIMEOUT), "proc_timeout");
	assert_string_equal(sw_unread_name(SW_UNREAD_REUSED), "pid_reused");
	assert_string_equal(sw_unread_name(SW_UNREAD_GONE), "proc_gone");
	assert_string_equal(sw_unread_name(SW_UNREAD_DENIED), "proc_denied");
	assert_null(sw_unread_name(SW_UNREAD_NONE));
	assert_null(sw_unread_name(SW_UNREAD__MAX));
	for (unsigned i = 1; i < SW_UNREAD__MAX; i++)
		assert_int_equal(sw_unread_from_name(sw_unread_name(i)), i);
	assert_int_equal(sw_unread_from_name("nope"), SW_UNREAD_NONE);
	assert_string_equal(sw_unread_field_name(SW_UF_ARGV), "argv");
	assert_string_equal(sw_unread_field_name(SW_UF_COMM), "comm");
	assert_null(sw_unread_field_name(SW_UF__MAX));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_inline, setup, teardown),
		cmocka_unit_test_setup_teardown(test_deadline, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bound, setup, teardown),
		cmocka_unit_test_setup_teardown(test_depose, setup, teardown),
		cmocka_unit_test(test_younger),
		cmocka_unit_test_setup_teardown(test_exec_reused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exec_ns_container, setup,
						teardown),
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
