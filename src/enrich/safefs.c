/* SPDX-License-Identifier: MIT */
/*
 * Paths resolved without waiting on a file system a user controls: see
 * safefs.h.
 */
#define _GNU_SOURCE
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/openat2.h>

#include "conn.h"
#include "procfs.h"
#include "safefs.h"

/*
 * Kernel file systems on a local device or in memory.  Not overlay: a
 * user may stack one on a FUSE directory in a namespace of their own.
 */
static const char *const local_types[] = {
	"ext2", "ext3", "ext4", "xfs", "btrfs", "tmpfs", "ramfs", "f2fs",
	"jfs", "reiserfs", "zfs", "bcachefs", "squashfs", "erofs", "vfat",
	"exfat", "iso9660", "devtmpfs",
};

bool sw_safefs_local(const char *type)
{
	for (size_t i = 0; i < sizeof(local_types) / sizeof(local_types[0]); i++)
		if (strcmp(type, local_types[i]) == 0)
			return true;
	return false;
}

/* One mountinfo line: its mount id, and its type after " - ". */
static int line_type(const char *line, size_t len, int mnt_id, char *type,
		     size_t size)
{
	const char *end = line + len, *p = line, *sep, *t;
	long long id = 0;

	if (p >= end || *p < '0' || *p > '9')
		return -EINVAL;
	for (; p < end && *p >= '0' && *p <= '9'; p++) {
		id = id * 10 + (*p - '0');
		if (id > 0x7fffffff)
			return -EINVAL;
	}
	if (p >= end || *p != ' ' || id != mnt_id)
		return -ENOENT;
	sep = memmem(p, (size_t)(end - p), " - ", 3);
	if (!sep)
		return -EINVAL;
	t = sep + 3;
	/* A type is a word of printable bytes ("fuse.sshfs"). */
	for (p = t; p < end && *p != ' '; p++)
		if ((unsigned char)*p < 0x21 || (unsigned char)*p > 0x7e)
			return -EINVAL;
	if (p == t || (size_t)(p - t) >= size)
		return -EINVAL;
	memcpy(type, t, (size_t)(p - t));
	type[p - t] = '\0';
	return 0;
}

int sw_safefs_parse_fstype(const char *buf, size_t len, int mnt_id,
			   char *type, size_t size)
{
	const char *line = buf, *end = buf + len;

	while (line < end) {
		const char *nl = memchr(line, '\n', (size_t)(end - line));

		if (!nl)
			break;		/* a cut line is no line */
		if (line_type(line, (size_t)(nl - line), mnt_id, type, size) == 0)
			return 0;
		line = nl + 1;
	}
	return -ENOENT;
}

int sw_safefs_fd_id(int fd, int *mnt_id, uint64_t *ino)
{
	char name[64], buf[1024];
	struct sw_fd f;
	int n;

	snprintf(name, sizeof(name), "/proc/self/fdinfo/%d", fd);
	n = sw_procfs_read(AT_FDCWD, name, buf, sizeof(buf));
	if (n < 0)
		return n;
	memset(&f, 0, sizeof(f));
	f.mnt_id = -1;
	sw_conn_parse_fdinfo(buf, (size_t)n, &f);
	if (f.mnt_id < 0)
		return -ENODATA;
	*mnt_id = f.mnt_id;
	*ino = f.ino;
	return 0;
}

/* The mount of spawnwatch's own root: the host's, which it trusts. */
static int host_root_mnt(void)
{
	static int mnt = -2;
	uint64_t ino;
	int fd;

	if (mnt != -2)
		return mnt;
	mnt = -1;
	fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		int m;

		if (sw_safefs_fd_id(fd, &m, &ino) == 0)
			mnt = m;
		close(fd);
	}
	return mnt;
}

/* Streams pid's mountinfo for mnt_id's type. */
static int mount_type(int pid, int mnt_id, char *type, size_t size)
{
	char name[48], buf[16384];
	size_t have = 0;
	int fd, r = -ENOENT;

	snprintf(name, sizeof(name), "/proc/%d/mountinfo", pid);
	fd = open(name, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -errno;
	for (;;) {
		ssize_t n = read(fd, buf + have, sizeof(buf) - have);
		const char *p = buf, *nl, *end;

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		end = buf + have + (size_t)n;
		while ((nl = memchr(p, '\n', (size_t)(end - p)))) {
			if (line_type(p, (size_t)(nl - p), mnt_id, type, size) == 0) {
				r = 0;
				goto out;
			}
			p = nl + 1;
		}
		have = (size_t)(end - p);
		if (have == sizeof(buf))
			have = 0;	/* a line longer than the buffer: skipped */
		memmove(buf, p, have);
	}
out:
	close(fd);
	return r;
}

bool sw_safefs_dir_ok(int pid, int dirfd)
{
	char type[64];
	uint64_t ino;
	int mnt;

	if (sw_safefs_fd_id(dirfd, &mnt, &ino) < 0)
		return false;
	if (mnt == host_root_mnt())
		return true;
	return mount_type(pid, mnt, type, sizeof(type)) == 0 &&
	       sw_safefs_local(type);
}

int sw_safefs_open(int dirfd, const char *path, int flags, bool in_root)
{
	/* A kernel (or valgrind) without openat2 is asked once. */
	static bool absent;
	struct open_how how = {
		.flags = (uint64_t)flags | O_CLOEXEC,
		.resolve = RESOLVE_NO_XDEV | RESOLVE_NO_MAGICLINKS |
			   (in_root ? RESOLVE_IN_ROOT : 0),
	};
	long fd;

	if (absent)
		return -ENOSYS;
	fd = syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
	if (fd < 0 && errno == ENOSYS)
		absent = true;
	return fd < 0 ? -errno : (int)fd;
}
