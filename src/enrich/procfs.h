/* SPDX-License-Identifier: MIT */
/*
 * /proc reads, always relative to a directory fd (the /proc root, or a
 * pinned /proc/PID), so that tests can point them at a fake tree and a dead
 * process yields an error, never another process's data.  The parsers are
 * pure functions over the bytes read.
 */
#ifndef SW_PROCFS_H
#define SW_PROCFS_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "container.h"
#include "event.h"

struct sw_proc_stat {
	int pid;
	char comm[SW_COMM_LEN + 1];
	bool comm_cut;		/* a longer name (a kernel thread's) was cut */
	char state;
	int ppid;
	uint64_t utime, stime;	/* CPU time, clock ticks */
	uint64_t start_ticks;	/* clock ticks after boot */
	uint64_t rss_pages;
};

struct sw_proc_status {
	int tgid;
	int ppid;
	uint32_t uid, euid, gid, egid;
};

/*
 * What /proc/PID/status says of a process's claim to root, read only at a
 * gain of root (privilege-escalation): the saved uid (the third of Uid:),
 * the effective and bounding capability sets.
 */
struct sw_proc_privs {
	uint32_t suid;
	uint64_t cap_eff, cap_bnd;
};

int sw_procfs_parse_stat(const char *buf, size_t len, struct sw_proc_stat *ret);
int sw_procfs_parse_privs(const char *buf, size_t len, struct sw_proc_privs *ret);
/*
 * 1 when the executable of the process (/proc/PID/exe under dirfd, a
 * pinned /proc/PID) has file capabilities granting CAP_SETUID (its
 * security.capability attribute), 0 when not, -errno when unreadable.
 */
int sw_procfs_file_setuid(int dirfd);
int sw_procfs_parse_status(const char *buf, size_t len,
			   struct sw_proc_status *ret);

/* Opens /proc/PID under procfd as a directory fd; -errno on failure. */
int sw_procfs_open_pid(int procfd, int pid);
/* Reads a whole small file into buf (NUL-terminated); length or -errno. */
int sw_procfs_read(int dirfd, const char *name, char *buf, size_t size);
/* Reads a symlink into buf (NUL-terminated); length or -errno. */
int sw_procfs_readlink(int dirfd, const char *name, char *buf, size_t size);

int sw_procfs_stat(int dirfd, struct sw_proc_stat *ret);
int sw_procfs_status(int dirfd, struct sw_proc_status *ret);
int sw_procfs_privs(int dirfd, struct sw_proc_privs *ret);

/* True for errors that mean "the process is gone", not "denied". */
int sw_procfs_gone(int err);

/*
 * A command line is read whole up to the most an exec can give it: the
 * kernel keeps argv and the environment of an exec within 3/4 of _STK_LIM
 * (6 MiB; less under a stack rlimit below 24 MiB), and /proc/PID/cmdline
 * shows no more unless a privileged process moved its bounds (PR_SET_MM).
 * Past that it is only counted, up to SW_ARGV_COUNT_MAX.
 */
#define SW_ARGV_READ_MAX (6u << 20)
#define SW_ARGV_COUNT_MAX (64u << 20)

/* Everything spawnwatch reads about one process, field by field. */
struct sw_proc_snap {
	unsigned have;		/* enum sw_have bits actually read */
	unsigned gone;		/* fields lost because the process exited */
	unsigned denied;	/* fields refused (EACCES/EPERM) */
	unsigned timedout;	/* fields not read in time (sw_reader_snap) */
	struct sw_proc_stat stat;
	struct sw_proc_status status;
	char exe[PATH_MAX];
	char cwd[PATH_MAX];
	/*
	 * The command line, argv_len bytes (NUL-separated) in a buffer of
	 * argv_cap bytes that grows as lines need it (NULL until then; freed
	 * by sw_procfs_snap_fini()).  argv_size is the length of the whole
	 * of /proc/PID/cmdline, and cut says argv holds less of it.
	 */
	char *argv;
	size_t argv_len, argv_cap;
	size_t argv_size;
	unsigned cut;		/* enum sw_have bits of fields cut */
	struct sw_container container;	/* when SW_HAVE_CONTAINER */
	uint64_t mntns, pidns;		/* when SW_HAVE_NS */
};

/* Frees what a snapshot holds (its argv buffer); it is then empty. */
void sw_procfs_snap_fini(struct sw_proc_snap *snap);

/*
 * Reads the command line file name under dirfd into snap->argv (growing it
 * up to SW_ARGV_READ_MAX bytes), and counts the rest into argv_size:
 * argv_len or -errno; 0 is an empty file.  A cut line ends on a NUL and
 * sets SW_HAVE_ARGV in snap->cut.
 */
int sw_procfs_read_argv(int dirfd, const char *name, struct sw_proc_snap *snap);

/* The inode number in a namespace link such as "mnt:[4026531841]". */
int sw_procfs_parse_ns(const char *link, uint64_t *ret);

/*
 * Reads /proc/PID under procfd through one pinned directory fd, the most
 * perishable first (the cgroup, which a zombie keeps, after the rest).  full adds stat and status (parent, start time,
 * credentials); without it, as at exec, the name and the start time come
 * from stat (last, so that the start time says whose data was read: a pid
 * reused meanwhile shows a later one) and the rest is what the lineage
 * table already knows (a setuid exec sends its own uid event).
 */
int sw_procfs_snap(int procfd, int pid, struct sw_proc_snap *snap, bool full);

/*
 * As sw_procfs_snap() without full, for a process the caller knows was in
 * no container before its exec: if it still runs in the host's mount and
 * pid namespaces (host_mntns, host_pidns; 0 if unknown), its cgroup is not
 * read, since a container runtime always gives its processes a mount
 * namespace of their own.
 */
int sw_procfs_snap_hostside(int procfd, int pid, struct sw_proc_snap *snap,
			    uint64_t host_mntns, uint64_t host_pidns);
/*
 * Either of the two, as full says; without argv, the command line is left
 * unread: the one read here that reads the process's memory, and so the
 * one that can block (sw_reader_snap()).
 */
int sw_procfs_snap_as(int procfd, int pid, struct sw_proc_snap *snap, bool full,
		      uint64_t host_mntns, uint64_t host_pidns, bool argv);
/* Clock ticks after boot to nanoseconds. */
uint64_t sw_procfs_ticks_to_ns(uint64_t ticks);

#endif
