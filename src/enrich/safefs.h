/* SPDX-License-Identifier: MIT */
/*
 * Files the rules look at in a process's own view (a name argv[0] gives,
 * the config file a program is told to read), without ever waiting on a
 * file system that a user can make stall.  Any user can mount a FUSE file
 * system on a directory of theirs (fusermount3), or in a mount namespace
 * of their own, whose lookups, attributes and reads never answer; a watch
 * that opened a path through it would wait with them.  So a path is only
 * resolved from a directory on the host's root file system or on one the
 * kernel answers for by itself (a local disk, tmpfs), and never across a
 * mount point (RESOLVE_NO_XDEV), nor through a magic link: it stays on
 * that file system.  What such a path cannot reach is not looked at.
 * Everything read to decide is procfs's own (fdinfo, mountinfo).
 */
#ifndef SW_SAFEFS_H
#define SW_SAFEFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Whether a file system type is answered by the kernel alone (ext4, tmpfs...). */
bool sw_safefs_local(const char *type);

/*
 * Pure: the type of mount mnt_id in a mountinfo text ("36 35 98:0 / /mnt
 * rw - ext4 /dev/sda1 rw"): 0 with type set, -ENOENT when no whole line
 * has it.
 */
int sw_safefs_parse_fstype(const char *buf, size_t len, int mnt_id,
			   char *type, size_t size);

/* The mount and inode of an open descriptor, from /proc/self/fdinfo; 0, or -errno. */
int sw_safefs_fd_id(int fd, int *mnt_id, uint64_t *ino);

/*
 * Whether paths may be resolved from dirfd, a directory of process pid
 * (its root or cwd, opened O_PATH): it is on the host's root file system,
 * or on a local one by pid's /proc/PID/mountinfo.
 */
bool sw_safefs_dir_ok(int pid, int dirfd);

/*
 * Opens path from dirfd (flags as openat's, O_CLOEXEC added) on dirfd's
 * file system alone: no mount point crossed, no magic link; beneath dirfd
 * as a root when in_root (an absolute path is then the process's).  The
 * descriptor, or -errno (-EXDEV: the path leaves the file system; -ENOSYS:
 * the kernel has no openat2, and nothing is opened).
 */
int sw_safefs_open(int dirfd, const char *path, int flags, bool in_root);

#endif
