/* SPDX-License-Identifier: MIT */
/*
 * A FUSE file system whose one file never gives its bytes: stallfs MOUNT
 * serves /stall (4096 bytes), answers lookup, getattr and open, and lets
 * every read wait forever.  The first read writes "read" to standard
 * output, so that a test knows a reader is now blocked in it.  Ends when
 * killed, or unmounted (fusermount3 -u, umount -l); either aborts the
 * reads still waiting.
 */
#define FUSE_USE_VERSION 31

#include <errno.h>
#include <fuse.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define FILE_SIZE 4096

static const char *const name = "stall";

static int fs_getattr(const char *path, struct stat *st, struct fuse_file_info *fi)
{
	(void)fi;
	memset(st, 0, sizeof(*st));
	if (strcmp(path, "/") == 0) {
		st->st_mode = S_IFDIR | 0755;
		st->st_nlink = 2;
		return 0;
	}
	if (path[0] != '/' || strcmp(path + 1, name) != 0)
		return -ENOENT;
	st->st_mode = S_IFREG | 0444;
	st->st_nlink = 1;
	st->st_size = FILE_SIZE;
	return 0;
}

static int fs_readdir(const char *path, void *buf, fuse_fill_dir_t fill,
		      off_t off, struct fuse_file_info *fi,
		      enum fuse_readdir_flags flags)
{
	(void)off;
	(void)fi;
	(void)flags;
	if (strcmp(path, "/") != 0)
		return -ENOENT;
	fill(buf, ".", NULL, 0, 0);
	fill(buf, "..", NULL, 0, 0);
	fill(buf, name, NULL, 0, 0);
	return 0;
}

static int fs_open(const char *path, struct fuse_file_info *fi)
{
	if (path[0] != '/' || strcmp(path + 1, name) != 0)
		return -ENOENT;
	if ((fi->flags & O_ACCMODE) != O_RDONLY)
		return -EACCES;
	/*
	 * Or each open would drop the cached pages first, and wait for the
	 * one a stalled read holds locked: a second mapper could not open.
	 */
	fi->keep_cache = 1;
	return 0;
}

static int fs_read(const char *path, char *buf, size_t size, off_t off,
		   struct fuse_file_info *fi)
{
	static int told;

	(void)path;
	(void)buf;
	(void)size;
	(void)off;
	(void)fi;
	if (!__atomic_exchange_n(&told, 1, __ATOMIC_SEQ_CST)) {
		fputs("read\n", stdout);
		fflush(stdout);
	}
	for (;;)
		pause();	/* the reader waits until the mount is gone */
	return 0;
}

static const struct fuse_operations ops = {
	.getattr = fs_getattr,
	.readdir = fs_readdir,
	.open = fs_open,
	.read = fs_read,
};

int main(int argc, char **argv)
{
	static char fg[] = "-f", o[] = "-o", perms[] = "default_permissions";
	char *args[] = { argv[0], fg, o, perms, NULL, NULL };

	if (argc != 2) {
		fprintf(stderr, "usage: stallfs MOUNTPOINT\n");
		return 2;
	}
	args[4] = argv[1];
	return fuse_main(5, args, &ops, NULL);
}
