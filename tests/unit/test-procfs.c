/* SPDX-License-Identifier: MIT */
/* /proc parsers and reads, against strings and a fake /proc tree. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
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

#include "procfs.h"

/* Fields 5..21 of a stat line, between ppid and starttime. */
#define MID "1234 1234 34816 1234 4194304 1 2 3 4 5 6 7 8 20 0 1 0"

/* Parses an exact-size heap copy, so ASan sees any read past len. */
static int parse_stat(const char *s, struct sw_proc_stat *st)
{
	size_t len = strlen(s);
	char *copy = malloc(len ? len : 1);
	int r;

	assert_non_null(copy);
	memcpy(copy, s, len);
	r = sw_procfs_parse_stat(copy, len, st);
	free(copy);
	return r;
}

static int parse_status(const char *s, struct sw_proc_status *st)
{
	size_t len = strlen(s);
	char *copy = malloc(len ? len : 1);
	int r;

	assert_non_null(copy);
	memcpy(copy, s, len);
	r = sw_procfs_parse_status(copy, len, st);
	free(copy);
	return r;
}

static void test_stat_plain(void **state)
{
	struct sw_proc_stat st;

	assert_int_equal(parse_stat("4242 (bash) S 1000 " MID " 987654 "
				    "18446744073709551615 2500 0\n", &st), 0);
	assert_int_equal(st.rss_pages, 2500);
	assert_int_equal(st.utime, 5);
	assert_int_equal(st.stime, 6);
	assert_int_equal(st.pid, 4242);
	assert_string_equal(st.comm, "bash");
	assert_int_equal(st.state, 'S');
	assert_int_equal(st.ppid, 1000);
	assert_int_equal(st.start_ticks, 987654);

	/* Exactly 22 fields, no newline. */
	assert_int_equal(parse_stat("1 (init) Z 0 " MID " 3", &st), 0);
	assert_int_equal(st.pid, 1);
	assert_int_equal(st.state, 'Z');
	assert_int_equal(st.ppid, 0);
	assert_int_equal(st.start_ticks, 3);
}

static void test_stat_hostile_comm(void **state)
{
	struct sw_proc_stat st;

	assert_int_equal(parse_stat("1234 (a) b) S 1 " MID " 77\n", &st), 0);
	assert_int_equal(st.pid, 1234);
	assert_string_equal(st.comm, "a) b");
	assert_int_equal(st.state, 'S');
	assert_int_equal(st.ppid, 1);
	assert_int_equal(st.start_ticks, 77);

	assert_int_equal(parse_stat("7 ((x (y) R 2 " MID " 8", &st), 0);
	assert_string_equal(st.comm, "(x (y");
	assert_int_equal(st.state, 'R');
	assert_int_equal(st.ppid, 2);

	assert_int_equal(parse_stat("7 () 1 2 3) D 2 " MID " 8", &st), 0);
	assert_string_equal(st.comm, ") 1 2 3");
	assert_int_equal(st.state, 'D');

	assert_int_equal(parse_stat("7 () S 2 " MID " 8", &st), 0);
	assert_string_equal(st.comm, "");

	assert_int_equal(parse_stat("7 (a\nb\x1b) S 2 " MID " 8", &st), 0);
	assert_string_equal(st.comm, "a\nb\x1b");

	/* 16 bytes fit; anything longer is cut, never overflows. */
	assert_int_equal(parse_stat("7 (0123456789abcdef) S 2 " MID " 8", &st), 0);
	assert_string_equal(st.comm, "0123456789abcdef");
	assert_int_equal(parse_stat("7 (0123456789abcdefXYZ) S 2 " MID " 8", &st), 0);
	assert_string_equal(st.comm, "0123456789abcdef");
	assert_int_equal(st.ppid, 2);
}

static void test_stat_truncated(void **state)
{
	static const char *const bad[] = {
		("4242 (bash) S 1000 " MID),	/* no starttime */
		"4242 (bash) S 1000 1 2 3",
		"4242 (bash) S 1000",
		"4242 (bash) S ",
		"4242 (bash) S",
		"4242 (bash)",
		"4242 (bash",
		"4242 (",
		"4242",
		"",
	};
	struct sw_proc_stat st;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		print_message("stat '%s'\n", bad[i]);
		assert_int_equal(parse_stat(bad[i], &st), -EINVAL);
	}
}

static void test_stat_garbage(void **state)
{
	static const char *const bad[] = {
		"hello world",
		")(",
		"42 )x( S 1 " MID " 5",
		"abc (x) S 1 " MID " 5",
		"0 (x) S 1 " MID " 5",
		"-5 (x) S 1 " MID " 5",
		"99999999999 (x) S 1 " MID " 5",
		"5 (x)S 1 " MID " 5",
		"5 (x) S -1 " MID " 5",
		"5 (x) S y " MID " 5",
		"5 (x) S 1 " MID " -5",
		"5 (x) S 1 " MID " z",
		"5 (x) S 1 " MID " 99999999999999999999999",
		"(x) S 1 " MID " 5",
	};
	struct sw_proc_stat st;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		print_message("stat '%s'\n", bad[i]);
		assert_int_equal(parse_stat(bad[i], &st), -EINVAL);
	}
}

#define STATUS_HEAD "Name:\tbash\nUmask:\t0022\nState:\tS (sleeping)\n"
#define TGID "Tgid:\t4242\n"
#define PPID "Ngid:\t0\nPid:\t4242\nPPid:\t17\nTracerPid:\t99\n"
#define UID "Uid:\t1000\t1001\t1002\t1003\n"
#define GID "Gid:\t100\t101\t102\t103\n"
#define TAIL "FDSize:\t256\nGroups:\t4 24 27\nNStgid:\t4242\n"

static void test_status(void **state)
{
	struct sw_proc_status st;

	assert_int_equal(parse_status(STATUS_HEAD TGID PPID UID GID TAIL, &st), 0);
	assert_int_equal(st.tgid, 4242);
	assert_int_equal(st.ppid, 17);
	assert_int_equal(st.uid, 1000);
	assert_int_equal(st.euid, 1001);
	assert_int_equal(st.gid, 100);
	assert_int_equal(st.egid, 101);

	/* Any order, last line without a newline, the largest ids. */
	assert_int_equal(parse_status("Gid: 0 4294967295 0 0\nUid:\t0\t0\t0\t0\n"
				      "PPid:\t0\nTgid:\t1", &st), 0);
	assert_int_equal(st.tgid, 1);
	assert_int_equal(st.ppid, 0);
	assert_int_equal(st.uid, 0);
	assert_int_equal(st.egid, UINT32_MAX);
}

static void test_status_missing(void **state)
{
	static const char *const bad[] = {
		STATUS_HEAD PPID UID GID TAIL,		/* no Tgid */
		STATUS_HEAD TGID UID GID TAIL,		/* no PPid */
		STATUS_HEAD TGID PPID GID TAIL,		/* no Uid */
		STATUS_HEAD TGID PPID UID TAIL,		/* no Gid */
		STATUS_HEAD TGID PPID "Uid:\t1000\n" GID,	/* one id */
		STATUS_HEAD TGID PPID "Uid:\tx\ty\n" GID,
		STATUS_HEAD TGID PPID "Uid:\t1\t4294967296\n" GID,
		STATUS_HEAD TGID PPID "Uid:\t-1\t0\n" GID,
		STATUS_HEAD "Tgid:\n" PPID UID GID,
		STATUS_HEAD "Tgid:\tabc\n" PPID UID GID,
		"TracerPid:\t1\nNStgid:\t1\n" UID GID,
		"",
		"\n\n\n",
	};
	struct sw_proc_status st;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		print_message("status case %zu\n", i);
		assert_int_equal(parse_status(bad[i], &st), -EINVAL);
	}
}

/* --- a fake /proc tree ---------------------------------------------- */

static char root[64];
static int procfd = -1;

static void put_file(const char *path, const void *data, size_t len)
{
	int fd = openat(procfd, path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
			0644);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
}

#define PUT(path, lit) put_file(path, lit, sizeof(lit) - 1)

static int setup_tree(void **state)
{
	snprintf(root, sizeof(root), "/tmp/sw-procfs-XXXXXX");
	if (!mkdtemp(root))
		return -1;
	procfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (procfd < 0)
		return -1;
	if (mkdirat(procfd, "4242", 0755) < 0 || mkdirat(procfd, "4244", 0755) < 0)
		return -1;
	put_file("4242/stat", "4242 (fake proc) S 1 " MID " 5000\n",
		 strlen("4242 (fake proc) S 1 " MID " 5000\n"));
	PUT("4242/status", STATUS_HEAD TGID PPID UID GID TAIL);
	PUT("4242/cmdline", "a\0b\0");
	if (symlinkat("/usr/bin/fake", procfd, "4242/exe") < 0 ||
	    symlinkat("/home/u", procfd, "4242/cwd") < 0)
		return -1;
	/* 4244: only stat, and an empty cmdline (a zombie). */
	PUT("4244/stat", "4244 (z) Z 4242 " MID " 6000\n");
	PUT("4244/cmdline", "");
	return 0;
}

static int rm_one(const char *path, const struct stat *sb, int flag,
		  struct FTW *ftw)
{
	return remove(path);
}

static int teardown_tree(void **state)
{
	if (procfd >= 0)
		close(procfd);
	procfd = -1;
	return nftw(root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static struct sw_proc_snap snap;

/* A snapshot full of garbage but for its (freed) command-line buffer. */
static void poison_snap(void)
{
	sw_procfs_snap_fini(&snap);
	memset(&snap, 0x77, offsetof(struct sw_proc_snap, argv));
	snap.mntns = snap.pidns = 0x7777777777777777ull;
}

static void test_snap_full(void **state)
{
	const unsigned all = SW_HAVE_PPID | SW_HAVE_COMM | SW_HAVE_START |
			     SW_HAVE_CREDS | SW_HAVE_EXE | SW_HAVE_CWD |
			     SW_HAVE_ARGV;

	poison_snap();
	assert_int_equal(sw_procfs_snap(procfd, 4242, &snap, true), 0);
	assert_int_equal(snap.have, all);
	assert_int_equal(snap.gone, 0);
	assert_int_equal(snap.denied, 0);
	assert_int_equal(snap.stat.pid, 4242);
	assert_string_equal(snap.stat.comm, "fake proc");
	assert_int_equal(snap.stat.ppid, 1);
	assert_int_equal(snap.stat.start_ticks, 5000);
	assert_int_equal(snap.status.tgid, 4242);
	assert_int_equal(snap.status.ppid, 17);
	assert_int_equal(snap.status.euid, 1001);
	assert_int_equal(snap.status.egid, 101);
	assert_string_equal(snap.exe, "/usr/bin/fake");
	assert_string_equal(snap.cwd, "/home/u");
	assert_int_equal(snap.argv_len, 4);
	assert_memory_equal(snap.argv, "a\0b\0", 4);
}

static void test_snap_partial(void **state)
{
	poison_snap();
	assert_int_equal(sw_procfs_snap(procfd, 4244, &snap, true), 0);
	assert_int_equal(snap.have, SW_HAVE_PPID | SW_HAVE_COMM | SW_HAVE_START);
	assert_int_equal(snap.gone, SW_HAVE_CREDS | SW_HAVE_EXE | SW_HAVE_CWD |
					    SW_HAVE_ARGV);
	assert_int_equal(snap.denied, 0);
	assert_int_equal(snap.argv_len, 0);
	assert_int_equal(snap.stat.state, 'Z');
	assert_int_equal(snap.stat.ppid, 4242);
}

static void test_snap_missing(void **state)
{
	assert_int_equal(sw_procfs_snap(procfd, 4243, &snap, true), -ENOENT);
	assert_true(sw_procfs_snap(procfd, 0, &snap, true) < 0);
	assert_true(sw_procfs_snap(procfd, -1, &snap, true) < 0);
	assert_true(sw_procfs_open_pid(procfd, 4243) < 0);
}

/*
 * At exec the name comes from /proc/PID/comm, where a kernel thread's can
 * be longer than 16 bytes: cut as in stat, nothing written past the field.
 */
/* At exec, the name comes from stat, read for the start time too. */
static void exec_comm(const char *name, const char *want, bool cut)
{
	char buf[256];
	int n = snprintf(buf, sizeof(buf), "4244 (%s) S 1 " MID " 5000\n", name);

	put_file("4244/stat", buf, (size_t)n);
	assert_int_equal(sw_procfs_snap(procfd, 4244, &snap, false), 0);
	assert_true(snap.have & SW_HAVE_COMM);
	assert_true(snap.have & SW_HAVE_START);
	assert_string_equal(snap.stat.comm, want);
	assert_int_equal(!!(snap.cut & SW_HAVE_COMM), cut);
}

static void exec_comm_gone(void)
{
	assert_int_equal(sw_procfs_snap(procfd, 4244, &snap, false), 0);
	assert_false(snap.have & SW_HAVE_COMM);
	assert_true(snap.gone & SW_HAVE_COMM);
}

static void test_snap_comm(void **state)
{
	exec_comm("bash", "bash", false);
	exec_comm("0123456789abcde", "0123456789abcde", false);
	exec_comm("0123456789abcdef", "0123456789abcdef", false);
	exec_comm("0123456789abcdefX", "0123456789abcdef", true);
	exec_comm("kworker/u8:4-events_unbound", "kworker/u8:4-eve", true);
	exec_comm("kworker/R-0123456789abcdef0123456789abcdef"
		  "0123456789abcdef012345", "kworker/R-012345", true);
	/* A name holding ")" and spaces: the last ")" closes it. */
	exec_comm(") S 1 (x", ") S 1 (x", false);
	/* An empty name is a name (prctl(PR_SET_NAME, "") makes one). */
	exec_comm("", "", false);
	/* No stat at all: no name. */
	PUT("4244/stat", "");
	exec_comm_gone();
	assert_int_equal(unlinkat(procfd, "4244/stat", 0), 0);
}

/*
 * At exec, a process that was in no container and still runs in the host's
 * namespaces has its cgroup left unread; any other is read.
 */
static void test_snap_hostside(void **state)
{
	const char *id = "0123456789abcdef0123456789abcdef"
			 "0123456789abcdef0123456789abcdef";
	char cg[128];

	assert_int_equal(mkdirat(procfd, "4242/ns", 0755), 0);
	assert_int_equal(symlinkat("mnt:[4026531841]", procfd, "4242/ns/mnt"), 0);
	assert_int_equal(symlinkat("pid:[4026531836]", procfd, "4242/ns/pid"), 0);
	snprintf(cg, sizeof(cg), "0::/docker/%s\n", id);
	put_file("4242/cgroup", cg, strlen(cg));

	/* Host namespaces: the cgroup is not read. */
	assert_int_equal(sw_procfs_snap_hostside(procfd, 4242, &snap,
						 4026531841, 4026531836), 0);
	assert_true(snap.have & SW_HAVE_NS);
	assert_false(snap.have & SW_HAVE_CONTAINER);
	/* Another mount or pid namespace, or the host's unknown: it is. */
	assert_int_equal(sw_procfs_snap_hostside(procfd, 4242, &snap,
						 4026531840, 4026531836), 0);
	assert_true(snap.have & SW_HAVE_CONTAINER);
	assert_string_equal(snap.container.id, id);
	assert_int_equal(sw_procfs_snap_hostside(procfd, 4242, &snap,
						 4026531841, 4026531837), 0);
	assert_true(snap.have & SW_HAVE_CONTAINER);
	assert_int_equal(sw_procfs_snap_hostside(procfd, 4242, &snap, 0, 0), 0);
	assert_true(snap.have & SW_HAVE_CONTAINER);
	/* sw_procfs_snap() always reads it. */
	assert_int_equal(sw_procfs_snap(procfd, 4242, &snap, false), 0);
	assert_true(snap.have & SW_HAVE_CONTAINER);

	assert_int_equal(unlinkat(procfd, "4242/cgroup", 0), 0);
	assert_int_equal(unlinkat(procfd, "4242/ns/mnt", 0), 0);
	assert_int_equal(unlinkat(procfd, "4242/ns/pid", 0), 0);
	assert_int_equal(unlinkat(procfd, "4242/ns", AT_REMOVEDIR), 0);
}

/* A command line of n bytes: "x" arguments of 99 bytes and their NULs. */
static void put_long_cmdline(size_t n)
{
	char *big = malloc(n);

	assert_non_null(big);
	memset(big, 'x', n);
	for (size_t i = 99; i < n; i += 100)
		big[i] = '\0';
	put_file("4242/cmdline", big, n);
	free(big);
}

static void test_snap_cmdline(void **state)
{
	static const size_t sizes[] = { 65535, 65536, 65537, 40000, 200000,
					2u << 20 };
	size_t n;

	/* A command line without its final NUL gets one. */
	PUT("4242/cmdline", "a\0b");
	assert_int_equal(sw_procfs_snap(procfd, 4242, &snap, true), 0);
	assert_true(snap.have & SW_HAVE_ARGV);
	assert_int_equal(snap.argv_len, 4);
	assert_int_equal(snap.argv_size, 3);
	assert_false(snap.cut & SW_HAVE_ARGV);
	assert_memory_equal(snap.argv, "a\0b\0", 4);

	/* Long ones, around the first buffer and past it, are read whole. */
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		n = sizes[i];
		print_message("cmdline of %zu bytes\n", n);
		put_long_cmdline(n);
		assert_int_equal(sw_procfs_snap(procfd, 4242, &snap, false), 0);
		assert_true(snap.have & SW_HAVE_ARGV);
		assert_false(snap.cut & SW_HAVE_ARGV);
		assert_int_equal(snap.argv_size, n);
		assert_int_equal(snap.argv_len, n % 100 ? n + 1 : n);
		assert_int_equal(snap.argv[snap.argv_len - 1], '\0');
		assert_int_equal(snap.argv[n - 2], n % 100 == 1 ? '\0' : 'x');
	}

	/* Past what an exec can give: read to the cap, counted, marked cut. */
	n = SW_ARGV_READ_MAX + 12345;
	put_long_cmdline(n);
	assert_int_equal(sw_procfs_snap(procfd, 4242, &snap, false), 0);
	assert_true(snap.cut & SW_HAVE_ARGV);
	assert_int_equal(snap.argv_size, n);
	assert_int_equal(snap.argv_len, SW_ARGV_READ_MAX + 1);
	assert_int_equal(snap.argv[SW_ARGV_READ_MAX], '\0');
	assert_int_equal(snap.argv[SW_ARGV_READ_MAX - 1], 'x');
	assert_true(snap.argv_cap <= SW_ARGV_READ_MAX + 1);

	/* The next, short one is whole again. */
	PUT("4242/cmdline", "a\0b\0");
	assert_int_equal(sw_procfs_snap(procfd, 4242, &snap, true), 0);
	assert_int_equal(snap.argv_len, 4);
	assert_false(snap.cut & SW_HAVE_ARGV);
	sw_procfs_snap_fini(&snap);
	assert_null(snap.argv);
}

/* A kernel thread's name is longer than TASK_COMM_LEN: cut, and said so. */
static void test_snap_long_comm(void **state)
{
	/* In stat, where the seeding scan reads it. */
	put_file("4242/stat", "4242 (kworker/u8:3-events_unbound) I 2 " MID " 5000\n",
		 strlen("4242 (kworker/u8:3-events_unbound) I 2 " MID " 5000\n"));
	assert_int_equal(sw_procfs_snap(procfd, 4242, &snap, true), 0);
	assert_true(snap.cut & SW_HAVE_COMM);
	assert_string_equal(snap.stat.comm, "kworker/u8:3-eve");
	put_file("4242/stat", "4242 (fake proc) S 1 " MID " 5000\n",
		 strlen("4242 (fake proc) S 1 " MID " 5000\n"));
	assert_int_equal(sw_procfs_snap(procfd, 4242, &snap, true), 0);
	assert_false(snap.cut & SW_HAVE_COMM);
}

static void test_reads(void **state)
{
	char buf[8];
	int dirfd = sw_procfs_open_pid(procfd, 4242);
	struct sw_proc_stat st;

	assert_true(dirfd >= 0);
	assert_int_equal(sw_procfs_read(dirfd, "cmdline", buf, 3), 2);
	assert_memory_equal(buf, "a\0", 3);
	assert_int_equal(sw_procfs_read(dirfd, "cmdline", buf, 0), -EINVAL);
	assert_int_equal(sw_procfs_read(dirfd, "nope", buf, sizeof(buf)), -ENOENT);
	assert_int_equal(sw_procfs_readlink(dirfd, "exe", buf, sizeof(buf)), 7);
	assert_string_equal(buf, "/usr/bi");
	assert_int_equal(sw_procfs_readlink(dirfd, "nope", buf, sizeof(buf)),
			 -ENOENT);
	assert_int_equal(sw_procfs_stat(dirfd, &st), 0);
	assert_int_equal(st.pid, 4242);
	close(dirfd);

	/* An empty stat means the process is gone. */
	PUT("4244/status", "");
	dirfd = sw_procfs_open_pid(procfd, 4244);
	assert_true(dirfd >= 0);
	PUT("4244/stat", "");
	assert_int_equal(sw_procfs_stat(dirfd, &st), -ESRCH);
	PUT("4244/stat", "4244 (z) Z 4242 " MID " 6000\n");
	close(dirfd);
	assert_int_equal(unlinkat(procfd, "4244/status", 0), 0);
}

static void test_gone_and_ticks(void **state)
{
	long hz = sysconf(_SC_CLK_TCK);

	assert_true(sw_procfs_gone(ENOENT));
	assert_true(sw_procfs_gone(-ENOENT));
	assert_true(sw_procfs_gone(-ESRCH));
	assert_false(sw_procfs_gone(-EACCES));
	assert_false(sw_procfs_gone(EPERM));
	assert_false(sw_procfs_gone(0));
	assert_true(hz > 0);
	assert_int_equal(sw_procfs_ticks_to_ns(0), 0);
	assert_int_equal(sw_procfs_ticks_to_ns((uint64_t)hz), 1000000000ull);
	assert_int_equal(sw_procfs_ticks_to_ns(5000),
			 5000ull * (1000000000ull / (uint64_t)hz));
}

/* A gain of root's facts: the saved uid, CapEff and CapBnd. */
static void test_parse_privs(void **state)
{
	static const char st[] = "Name:\tpython3\nUid:\t0\t0\t1000\t0\n"
				 "CapInh:\t0000000000000000\nCapEff:\t0000000000000080\n"
				 "CapBnd:\t000001ffffffffff\n";
	static const char two[] = "Uid:\t0\t0\nCapEff:\t1\nCapBnd:\t1\n";
	struct sw_proc_privs p;

	(void)state;
	assert_int_equal(sw_procfs_parse_privs(st, sizeof(st) - 1, &p), 0);
	assert_int_equal(p.suid, 1000);
	assert_true(p.cap_eff == 0x80);
	assert_true(p.cap_bnd == 0x1ffffffffffull);
	/* A line missing, or a Uid: line of two: not known. */
	assert_int_equal(sw_procfs_parse_privs(st, 40, &p), -EINVAL);
	assert_int_equal(sw_procfs_parse_privs(two, sizeof(two) - 1, &p), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest parsers[] = {
		cmocka_unit_test(test_stat_plain),
		cmocka_unit_test(test_stat_hostile_comm),
		cmocka_unit_test(test_stat_truncated),
		cmocka_unit_test(test_stat_garbage),
		cmocka_unit_test(test_status),
		cmocka_unit_test(test_status_missing),
		cmocka_unit_test(test_gone_and_ticks),
	};
	const struct CMUnitTest tree[] = {
		cmocka_unit_test(test_snap_full),
		cmocka_unit_test(test_snap_partial),
		cmocka_unit_test(test_snap_missing),
		cmocka_unit_test(test_snap_hostside),
		cmocka_unit_test(test_snap_comm),
		cmocka_unit_test(test_snap_cmdline),
		cmocka_unit_test(test_snap_long_comm),
		cmocka_unit_test(test_reads),
		cmocka_unit_test(test_parse_privs),
	};
	int failed = cmocka_run_group_tests_name("parsers", parsers, NULL, NULL);

	return failed + cmocka_run_group_tests_name("fake /proc", tree, setup_tree,
						    teardown_tree);
}
