/* SPDX-License-Identifier: MIT */
/*
 * safefs: which file systems are the kernel's own, a mount's type from
 * mountinfo on every edge, and paths that stay on one file system, on the
 * real /, /proc and /dev/shm.
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

#include "safefs.h"

static void test_local(void **state)
{
	(void)state;
	assert_true(sw_safefs_local("ext4"));
	assert_true(sw_safefs_local("tmpfs"));
	assert_true(sw_safefs_local("xfs"));
	assert_false(sw_safefs_local("fuse"));
	assert_false(sw_safefs_local("fuse.stallfs"));
	assert_false(sw_safefs_local("fuseblk"));
	assert_false(sw_safefs_local("overlay"));
	assert_false(sw_safefs_local("nfs4"));
	assert_false(sw_safefs_local("cifs"));
	assert_false(sw_safefs_local("proc"));
	assert_false(sw_safefs_local(""));
	assert_false(sw_safefs_local("ext4 "));
}

static void test_fstype(void **state)
{
	static const char info[] =
		"22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n"
		"3 22 0:5 / /proc rw shared:2 - proc proc rw\n"
		"36 22 0:40 / /home/u/m rw,nosuid - fuse.stallfs stallfs rw,user_id=1000\n"
		"37 22 0:41 / /x\\040y rw - tmpfs tmpfs rw\n"
		"38 22 0:42 / /bad rw no-separator here\n"
		"40 22 0:44 / /ctl rw - fu\tse x rw\n"
		"41 22 0:45 / /nul rw - fu\001se x rw\n"
		"39 22 0:43 / /cut rw - ";
	char t[32], tiny[4];

	(void)state;
	assert_int_equal(sw_safefs_parse_fstype(info, strlen(info), 22, t, sizeof(t)), 0);
	assert_string_equal(t, "ext4");
	/* 3 is not the 3 of 36, nor any number inside a line. */
	assert_int_equal(sw_safefs_parse_fstype(info, strlen(info), 3, t, sizeof(t)), 0);
	assert_string_equal(t, "proc");
	assert_int_equal(sw_safefs_parse_fstype(info, strlen(info), 36, t, sizeof(t)), 0);
	assert_string_equal(t, "fuse.stallfs");
	assert_int_equal(sw_safefs_parse_fstype(info, strlen(info), 37, t, sizeof(t)), 0);
	assert_string_equal(t, "tmpfs");
	assert_int_equal(sw_safefs_parse_fstype(info, strlen(info), 38, t, sizeof(t)), -ENOENT);
	assert_int_equal(sw_safefs_parse_fstype(info, strlen(info), 39, t, sizeof(t)), -ENOENT);
	/* A type of other bytes than printable ones is none. */
	assert_int_equal(sw_safefs_parse_fstype(info, strlen(info), 40, t, sizeof(t)), -ENOENT);
	assert_int_equal(sw_safefs_parse_fstype(info, strlen(info), 41, t, sizeof(t)), -ENOENT);
	assert_int_equal(sw_safefs_parse_fstype(info, strlen(info), 1, t, sizeof(t)), -ENOENT);
	assert_int_equal(sw_safefs_parse_fstype(info, strlen(info), 2, t, sizeof(t)), -ENOENT);
	/* A type longer than the room is none. */
	assert_int_equal(sw_safefs_parse_fstype(info, strlen(info), 36, tiny, sizeof(tiny)), -ENOENT);
	/* A line cut anywhere is never read past its end. */
	for (size_t n = 0; n < sizeof(info); n++) {
		char *cut = malloc(n ? n : 1);

		memcpy(cut, info, n);
		(void)sw_safefs_parse_fstype(cut, n, 36, t, sizeof(t));
		free(cut);
	}
	assert_int_equal(sw_safefs_parse_fstype("", 0, 22, t, sizeof(t)), -ENOENT);
	assert_int_equal(sw_safefs_parse_fstype("9999999999999 1 - ext4\n", 23, 22, t, sizeof(t)), -ENOENT);
}

static void test_real(void **state)
{
	int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	int proc = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
	int shm = open("/dev/shm", O_PATH | O_DIRECTORY | O_CLOEXEC);
	int m1, m2, fd;
	uint64_t i1, i2;
	struct stat st;

	(void)state;
	assert_true(root >= 0 && proc >= 0);
	assert_int_equal(sw_safefs_fd_id(root, &m1, &i1), 0);
	assert_int_equal(sw_safefs_fd_id(proc, &m2, &i2), 0);
	assert_int_not_equal(m1, m2);
	assert_int_equal(sw_safefs_fd_id(-1, &m1, &i1), -ENOENT);
	/* The host's root is trusted; /proc is no local file system. */
	assert_true(sw_safefs_dir_ok(getpid(), root));
	assert_false(sw_safefs_dir_ok(getpid(), proc));
	if (shm >= 0 && fstat(shm, &st) == 0) {
		/* tmpfs, or the root's own directory where no tmpfs is mounted. */
		assert_true(sw_safefs_dir_ok(getpid(), shm));
		close(shm);
	}
	/* A path on the root's file system opens; one into /proc does not. */
	fd = sw_safefs_open(root, "etc/passwd", O_RDONLY, false);
	if (fd == -ENOSYS) {
		skip();
	}
	assert_true(fd >= 0);
	close(fd);
	fd = sw_safefs_open(root, "/etc/passwd", O_RDONLY, true);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(sw_safefs_open(root, "proc/self/status", O_RDONLY, false), -EXDEV);
	assert_int_equal(sw_safefs_open(root, "/proc/self/status", O_RDONLY, true), -EXDEV);
	/* In the root: .. stays there; without it, .. out of /proc leaves it. */
	fd = sw_safefs_open(root, "../../etc/passwd", O_RDONLY, true);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(sw_safefs_open(proc, "../etc/passwd", O_RDONLY, false), -EXDEV);
	assert_int_equal(sw_safefs_open(root, "no/such/file", O_RDONLY, false), -ENOENT);
	close(root);
	close(proc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_local),
		cmocka_unit_test(test_fstype),
		cmocka_unit_test(test_real),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
