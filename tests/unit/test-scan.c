/* SPDX-License-Identifier: MIT */
/*
 * The lineage table against a fake /proc tree: the seeding scan, the
 * resync after a loss (died, appeared, re-parented), zombies found by the
 * scan, and orphans' new parents read at their parent's exit.
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
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "lineage_int.h"

#define SEC 1000000000ull

static char root[64];
static int procfd = -1;
static struct sw_lineage *lin;
static struct sw_users *users;
static struct sw_reader *rd;
static struct sw_event ev;

static void put(int pid, const char *name, const char *text, size_t len)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%d", root, pid);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/%d/%s", root, pid, name);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	fclose(f);
}

/* A process as /proc shows it; start in clock ticks. */
static void fake(int pid, int ppid, const char *comm, char state,
		 unsigned long start)
{
	char buf[512];
	int n;

	n = snprintf(buf, sizeof(buf),
		     "%d (%s) %c %d 1 1 0 -1 4194304 0 0 0 0 1 2 0 0 20 0 1 0 "
		     "%lu 1000 42 0\n", pid, comm, state, ppid, start);
	put(pid, "stat", buf, (size_t)n);
	n = snprintf(buf, sizeof(buf), "Name:\t%s\nTgid:\t%d\nPPid:\t%d\n"
		     "Uid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\n", comm, pid, ppid);
	put(pid, "status", buf, (size_t)n);
	n = snprintf(buf, sizeof(buf), "%s%c-x%c", comm, 0, 0);
	put(pid, "cmdline", buf, (size_t)n);
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

static void gone(int pid)
{
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "rm -rf %s/%d", root, pid);
	assert_int_equal(system(cmd), 0);
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
	struct sw_lineage_conf conf = {
		.cap = 1000, .zombie_cap = 1000, .gone_cap = 1000,
		.ancestry = 8, .linger_ns = SEC,
	};

	strcpy(root, "/tmp/sw-fakeproc-XXXXXX");
	if (!mkdtemp(root))
		return -1;
	procfd = open(root, O_RDONLY | O_DIRECTORY);
	users = sw_users_new();
	conf.procfd = procfd;
	lin = sw_lineage_new(&conf, users);
	rd = procfd < 0 ? NULL : sw_reader_new(procfd, SW_READER_TIMEOUT_MS);
	return procfd < 0 || !users || !lin || !rd ? -1 : 0;
}

static int teardown(void **state)
{
	char cmd[300];

	sw_lineage_free(lin);
	sw_users_free(users);
	sw_reader_free(rd);
	close(procfd);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	return system(cmd);
}

static void scan(struct sw_scan_counts *c, uint64_t now)
{
	assert_int_equal(sw_lineage_scan(lin, rd, now, c), 0);
}

static void event_for(int pid)
{
	sw_event_reset(&ev, SW_EV_SID);
	ev.pid = ev.tid = pid;
	ev.ktime_ns = 100 * SEC;
	sw_lineage_apply(lin, &ev);
}

static void test_seed_and_resync(void **state)
{
	struct sw_scan_counts c;

	fake(1, 0, "init", 'S', 1);
	fake(11, 10, "sh", 'S', 300);	/* listed before its parent */
	fake(10, 1, "sshd", 'S', 200);
	fake(12, 10, "old", 'S', 400);
	scan(&c, 10 * SEC);
	assert_int_equal(c.added, 4);
	assert_int_equal(c.removed, 0);
	assert_int_equal(sw_lineage_count(lin), 4);
	event_for(11);
	assert_int_equal(ev.ppid, 10);
	assert_int_equal(ev.n_ancestry, 2);
	assert_int_equal(ev.ancestry[0].pid, 10);
	assert_string_equal(ev.ancestry[0].comm, "sshd");
	assert_int_equal(ev.ancestry[1].pid, 1);
	assert_int_equal(ev.argv_len, 6);

	/* After a loss: 12 died, 13 appeared, 11 was adopted by 1. */
	gone(12);
	fake(13, 1, "cron", 'S', 500);
	fake(11, 1, "sh", 'S', 300);
	scan(&c, 20 * SEC);
	assert_int_equal(c.added, 1);
	assert_int_equal(c.removed, 1);
	assert_int_equal(c.reparented, 1);
	assert_true(sw_lineage_find(lin, 12)->exited);
	assert_false(sw_lineage_find(lin, 12)->zombie);
	event_for(11);
	assert_int_equal(ev.n_ancestry, 1);
	assert_int_equal(ev.ancestry[0].pid, 1);
	event_for(13);
	assert_int_equal(ev.ancestry[0].pid, 1);
	/* The gone entry leaves after its linger time. */
	sw_lineage_expire(lin, 22 * SEC);
	assert_null(sw_lineage_find(lin, 12));
}

static void test_namespaces(void **state)
{
	struct sw_scan_counts c;
	struct sw_event fk;
	uint64_t v;

	fake(1, 0, "init", 'S', 1);
	fake_ns(1, 4026531841ul, 4026531836ul);
	fake(50, 1, "runc", 'S', 100);
	fake_ns(50, 4026532001ul, 4026532002ul);
	fake(51, 1, "plain", 'S', 100);	/* no ns links readable */
	fake(53, 1, "sh", 'S', 100);		/* plain runc's /<id> */
	fake_ns(53, 4026532011ul, 4026532012ul);
	put(53, "cgroup", "0::/swtest\n", 11);
	fake(54, 1, "cron", 'S', 100);		/* PrivateTmp= */
	fake_ns(54, 4026532021ul, 4026531836ul);
	put(54, "cgroup", "0::/system.slice/cron.service\n", 30);
	scan(&c, 10 * SEC);
	sw_lineage_seal(lin);
	event_for(50);
	assert_true(ev.have & SW_HAVE_NS);
	assert_int_equal(ev.mntns, 4026532001ull);
	assert_int_equal(ev.pidns, 4026532002ull);
	/* Mount and pid namespaces other than init's: a container. */
	assert_non_null(ev.container_id);
	assert_string_equal(ev.container_id, "pidns-4026532002");
	assert_string_equal(ev.container_runtime, "unknown");
	event_for(51);
	assert_false(ev.have & SW_HAVE_NS);
	assert_null(ev.container_id);
	event_for(53);
	assert_string_equal(ev.container_id, "swtest");
	assert_string_equal(ev.container_runtime, "unknown");
	event_for(54);
	assert_null(ev.container_id);
	/* A fork inherits its parent's namespaces. */
	sw_event_reset(&fk, SW_EV_FORK);
	fk.pid = fk.tid = 52;
	fk.u.fork.parent_pid = fk.u.fork.parent_tid = 50;
	fk.ktime_ns = 20 * SEC;
	sw_lineage_apply(lin, &fk);
	assert_int_equal(fk.mntns, 4026532001ull);

	assert_int_equal(sw_procfs_parse_ns("mnt:[4026531841]", &v), 0);
	assert_int_equal(v, 4026531841ull);
	assert_int_equal(sw_procfs_parse_ns("mnt:[]", &v), -EINVAL);
	assert_int_equal(sw_procfs_parse_ns("mnt:[12", &v), -EINVAL);
	assert_int_equal(sw_procfs_parse_ns("mnt:[12]x", &v), -EINVAL);
	assert_int_equal(sw_procfs_parse_ns("garbage", &v), -EINVAL);
}

static void test_zombie_at_start(void **state)
{
	struct sw_scan_counts c;

	fake(1, 0, "init", 'S', 1);
	fake(20, 1, "daemon", 'S', 100);
	fake(21, 20, "child", 'Z', 150);
	fake(22, 20, "child", 'Z', 160);
	scan(&c, 10 * SEC);
	assert_int_equal(sw_lineage_find(lin, 20)->zombies, 2);
	assert_true(sw_lineage_find(lin, 21)->zombie);
	assert_int_equal(counters().zombies, 2);
	/* A rescan while they are still zombies changes nothing. */
	scan(&c, 11 * SEC);
	assert_int_equal(c.added, 0);
	assert_int_equal(sw_lineage_find(lin, 20)->zombies, 2);
	/* Reaped: gone from /proc. */
	gone(21);
	gone(22);
	scan(&c, 12 * SEC);
	assert_int_equal(sw_lineage_find(lin, 20)->zombies, 0);
	assert_int_equal(counters().zombies, 0);
}

static void test_orphans(void **state)
{
	struct sw_scan_counts c;
	struct sw_event rp;

	fake(1, 0, "init", 'S', 1);
	fake(30, 1, "parent", 'S', 100);
	fake(31, 30, "kid", 'S', 200);
	fake(32, 30, "kid", 'S', 210);
	fake(33, 30, "dead", 'Z', 220);
	scan(&c, 10 * SEC);
	sw_lineage_seal(lin);
	/* The kernel has moved the live children before the exit event. */
	fake(31, 1, "kid", 'S', 200);
	fake(32, 1, "kid", 'S', 210);
	sw_event_reset(&ev, SW_EV_EXIT);
	ev.pid = ev.tid = 30;
	ev.ktime_ns = 50 * SEC;
	ev.u.exit.kernel_ppid = 1;
	sw_lineage_apply(lin, &ev);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(sw_lineage_pop_reparent(lin, &rp), 1);
		assert_int_equal(rp.type, SW_EV_REPARENT);
		assert_true(rp.pid == 31 || rp.pid == 32);
		assert_int_equal(rp.ppid, 1);
		assert_int_equal(rp.u.reparent.prev_ppid, 30);
		assert_int_equal(rp.n_tags, 0);	/* tagged by detect */
		assert_int_equal(rp.ancestry[0].pid, 1);
		assert_int_equal(rp.ktime_ns, 50 * SEC);
	}
	assert_int_equal(sw_lineage_pop_reparent(lin, &rp), 0);
	assert_ptr_equal(sw_lineage_find(lin, 31)->parent, sw_lineage_find(lin, 1));

	/* A child that died meanwhile, or a new process on its pid, is skipped. */
	fake(40, 1, "p", 'S', 300);
	fake(41, 40, "k", 'S', 400);
	scan(&c, 60 * SEC);
	fake(41, 1, "other", 'S', 90000);	/* pid reused */
	sw_event_reset(&ev, SW_EV_EXIT);
	ev.pid = ev.tid = 40;
	ev.ktime_ns = 70 * SEC;
	sw_lineage_apply(lin, &ev);
	assert_int_equal(sw_lineage_pop_reparent(lin, &rp), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_seed_and_resync, setup, teardown),
		cmocka_unit_test_setup_teardown(test_zombie_at_start, setup, teardown),
		cmocka_unit_test_setup_teardown(test_namespaces, setup, teardown),
		cmocka_unit_test_setup_teardown(test_orphans, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
