/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "procfs.h"

int sw_procfs_gone(int err)
{
	err = err < 0 ? -err : err;
	return err == ENOENT || err == ESRCH;
}

static int parse_int(const char **p, const char *end, long long *ret)
{
	const char *s = *p;
	long long v = 0;
	int neg = 0;

	while (s < end && *s == ' ')
		s++;
	if (s < end && *s == '-') {
		neg = 1;
		s++;
	}
	if (s >= end || *s < '0' || *s > '9')
		return -EINVAL;
	while (s < end && *s >= '0' && *s <= '9') {
		if (v > (INT64_MAX - 9) / 10)
			return -ERANGE;
		v = v * 10 + (*s++ - '0');
	}
	*ret = neg ? -v : v;
	*p = s;
	return 0;
}

static int parse_u64(const char **p, const char *end, uint64_t *ret)
{
	long long v;

	if (parse_int(p, end, &v) < 0 || v < 0)
		return -EINVAL;
	*ret = (uint64_t)v;
	return 0;
}

/* Skips n space-separated fields. */
static int skip_fields(const char **p, const char *end, int n)
{
	const char *s = *p;

	while (n-- > 0) {
		while (s < end && *s == ' ')
			s++;
		if (s >= end)
			return -EINVAL;
		while (s < end && *s != ' ')
			s++;
	}
	*p = s;
	return 0;
}

int sw_procfs_parse_stat(const char *buf, size_t len, struct sw_proc_stat *ret)
{
	const char *end = buf + len, *open, *close, *p;
	long long v;
	size_t n;

	memset(ret, 0, sizeof(*ret));
	open = memchr(buf, '(', len);
	/* comm may itself hold ')': the last one closes it. */
	for (close = end; close > buf && close[-1] != ')'; close--)
		;
	if (!open || close <= open + 1)
		return -EINVAL;
	close--;
	p = buf;
	if (parse_int(&p, open, &v) < 0 || v <= 0 || v > INT32_MAX)
		return -EINVAL;
	ret->pid = (int)v;
	n = (size_t)(close - open - 1);
	if (n > SW_COMM_LEN) {
		n = SW_COMM_LEN;
		ret->comm_cut = true;
	}
	memcpy(ret->comm, open + 1, n);
	ret->comm[n] = '\0';
	p = close + 1;
	if (end - p < 3 || p[0] != ' ')
		return -EINVAL;
	ret->state = p[1];
	p += 2;
	if (parse_int(&p, end, &v) < 0 || v < 0 || v > INT32_MAX)
		return -EINVAL;
	ret->ppid = (int)v;
	/* Fields 14 and 15 are utime and stime; ppid was field 4. */
	if (skip_fields(&p, end, 9) < 0 || parse_u64(&p, end, &ret->utime) < 0 ||
	    parse_u64(&p, end, &ret->stime) < 0)
		return -EINVAL;
	/* Field 22 is starttime, 24 rss (in pages). */
	if (skip_fields(&p, end, 6) < 0 || parse_u64(&p, end, &ret->start_ticks) < 0)
		return -EINVAL;
	/* rss is informative only: a short line still parses. */
	if (skip_fields(&p, end, 1) == 0 && parse_int(&p, end, &v) == 0 && v > 0)
		ret->rss_pages = (uint64_t)v;
	return 0;
}

static int parse_ids(const char *line, const char *end, uint32_t *r,
		     uint32_t *e)
{
	const char *p = line;
	long long a, b;

	while (p < end && (*p == '\t' || *p == ' '))
		p++;
	if (parse_int(&p, end, &a) < 0 || a < 0 || a > UINT32_MAX)
		return -EINVAL;
	while (p < end && (*p == '\t' || *p == ' '))
		p++;
	if (parse_int(&p, end, &b) < 0 || b < 0 || b > UINT32_MAX)
		return -EINVAL;
	*r = (uint32_t)a;
	*e = (uint32_t)b;
	return 0;
}

static int parse_one(const char *line, const char *end, int *ret)
{
	const char *p = line;
	long long v;

	while (p < end && (*p == '\t' || *p == ' '))
		p++;
	if (parse_int(&p, end, &v) < 0 || v < 0 || v > INT32_MAX)
		return -EINVAL;
	*ret = (int)v;
	return 0;
}

int sw_procfs_parse_status(const char *buf, size_t len,
			   struct sw_proc_status *ret)
{
	const char *p = buf, *end = buf + len;
	unsigned found = 0;

	memset(ret, 0, sizeof(*ret));
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));

		if (!eol)
			eol = end;
		if (eol - p > 5 && memcmp(p, "Tgid:", 5) == 0)
			found |= parse_one(p + 5, eol, &ret->tgid) == 0 ? 1 : 0;
		else if (eol - p > 5 && memcmp(p, "PPid:", 5) == 0)
			found |= parse_one(p + 5, eol, &ret->ppid) == 0 ? 2 : 0;
		else if (eol - p > 4 && memcmp(p, "Uid:", 4) == 0)
			found |= parse_ids(p + 4, eol, &ret->uid, &ret->euid) == 0 ? 4 : 0;
		else if (eol - p > 4 && memcmp(p, "Gid:", 4) == 0)
			found |= parse_ids(p + 4, eol, &ret->gid, &ret->egid) == 0 ? 8 : 0;
		p = eol + 1;
	}
	return found == 15 ? 0 : -EINVAL;
}

static int parse_hex(const char *p, const char *end, uint64_t *ret)
{
	uint64_t v = 0;
	unsigned n = 0;

	while (p < end && (*p == '\t' || *p == ' '))
		p++;
	for (; p < end && n < 16; p++, n++) {
		int d = (*p >= '0' && *p <= '9') ? *p - '0'
			: (*p >= 'a' && *p <= 'f') ? *p - 'a' + 10 : -1;

		if (d < 0)
			break;
		v = v << 4 | (uint64_t)d;
	}
	if (n == 0)
		return -EINVAL;
	*ret = v;
	return 0;
}

/* The third number of an "Uid:" line: real, effective, saved, fs. */
static int parse_saved(const char *p, const char *end, uint32_t *ret)
{
	long long v = 0;

	for (int i = 0; i < 3; i++) {
		while (p < end && (*p == '\t' || *p == ' '))
			p++;
		if (parse_int(&p, end, &v) < 0 || v < 0 || v > UINT32_MAX)
			return -EINVAL;
	}
	*ret = (uint32_t)v;
	return 0;
}

int sw_procfs_parse_privs(const char *buf, size_t len, struct sw_proc_privs *ret)
{
	const char *p = buf, *end = buf + len;
	unsigned found = 0;

	memset(ret, 0, sizeof(*ret));
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));

		if (!eol)
			eol = end;
		if (eol - p > 4 && memcmp(p, "Uid:", 4) == 0)
			found |= parse_saved(p + 4, eol, &ret->suid) == 0 ? 1 : 0;
		else if (eol - p > 7 && memcmp(p, "CapEff:", 7) == 0)
			found |= parse_hex(p + 7, eol, &ret->cap_eff) == 0 ? 2 : 0;
		else if (eol - p > 7 && memcmp(p, "CapBnd:", 7) == 0)
			found |= parse_hex(p + 7, eol, &ret->cap_bnd) == 0 ? 4 : 0;
		p = eol + 1;
	}
	return found == 7 ? 0 : -EINVAL;
}

int sw_procfs_open_pid(int procfd, int pid)
{
	char name[16];
	int fd;

	if (pid <= 0)
		return -EINVAL;
	snprintf(name, sizeof(name), "%d", pid);
	fd = openat(procfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

int sw_procfs_read(int dirfd, const char *name, char *buf, size_t size)
{
	size_t len = 0;
	int fd, err = 0;

	if (size == 0)
		return -EINVAL;
	fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while (len < size - 1) {
		size_t want = size - 1 - len;
		ssize_t n = read(fd, buf + len, want);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = -errno;
			break;
		}
		len += (size_t)n;
		/*
		 * /proc files are made whole at each read (seq_file, cmdline):
		 * a short read is the end, without one more call to see 0.
		 */
		if ((size_t)n < want)
			break;
	}
	close(fd);
	buf[len] = '\0';
	return err ? err : (int)len;
}

int sw_procfs_readlink(int dirfd, const char *name, char *buf, size_t size)
{
	ssize_t n;

	if (size == 0)
		return -EINVAL;
	n = readlinkat(dirfd, name, buf, size - 1);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return (int)n;
}

int sw_procfs_stat(int dirfd, struct sw_proc_stat *ret)
{
	char buf[1024];
	int n = sw_procfs_read(dirfd, "stat", buf, sizeof(buf));

	if (n < 0)
		return n;
	if (n == 0)
		return -ESRCH;
	return sw_procfs_parse_stat(buf, (size_t)n, ret);
}

int sw_procfs_status(int dirfd, struct sw_proc_status *ret)
{
	char buf[4096];
	int n = sw_procfs_read(dirfd, "status", buf, sizeof(buf));

	if (n < 0)
		return n;
	if (n == 0)
		return -ESRCH;
	return sw_procfs_parse_status(buf, (size_t)n, ret);
}

int sw_procfs_privs(int dirfd, struct sw_proc_privs *ret)
{
	char buf[4096];
	int n = sw_procfs_read(dirfd, "status", buf, sizeof(buf));

	if (n < 0)
		return n;
	if (n == 0)
		return -ESRCH;
	return sw_procfs_parse_privs(buf, (size_t)n, ret);
}

int sw_procfs_file_setuid(int dirfd)
{
	/* struct vfs_cap_data: magic_etc, then permitted and inheritable. */
	uint8_t cap[24];
	char path[48];
	ssize_t n;
	uint32_t perm, inh;

	/* Through the pinned directory: the exe link of that process only. */
	snprintf(path, sizeof(path), "/proc/self/fd/%d/exe", dirfd);
	n = getxattr(path, "security.capability", cap, sizeof(cap));
	if (n < 0)
		return errno == ENODATA ? 0 : -errno;
	if (n < 12)
		return 0;
	perm = (uint32_t)cap[4] | (uint32_t)cap[5] << 8 |
	       (uint32_t)cap[6] << 16 | (uint32_t)cap[7] << 24;
	inh = (uint32_t)cap[8] | (uint32_t)cap[9] << 8 |
	      (uint32_t)cap[10] << 16 | (uint32_t)cap[11] << 24;
	return ((perm | inh) & (1u << 7)) ? 1 : 0;	/* CAP_SETUID */
}

uint64_t sw_procfs_ticks_to_ns(uint64_t ticks)
{
	static long hz;

	if (hz <= 0) {
		hz = sysconf(_SC_CLK_TCK);
		if (hz <= 0)
			hz = 100;
	}
	return ticks * (1000000000ull / (uint64_t)hz);
}

static void snap_note(struct sw_proc_snap *snap, int err, unsigned field)
{
	if (err >= 0)
		snap->have |= field;
	else if (sw_procfs_gone(err))
		snap->gone |= field;
	else
		snap->denied |= field;
}

int sw_procfs_parse_ns(const char *link, uint64_t *ret)
{
	const char *open = strchr(link, '[');
	char *end;
	unsigned long long v;

	if (!open || open[1] < '0' || open[1] > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(open + 1, &end, 10);
	if (errno || end[0] != ']' || end[1] != '\0')
		return -EINVAL;
	*ret = v;
	return 0;
}

/* Mount and pid namespaces: where a process runs, for the rules. */
static void read_ns(int dirfd, struct sw_proc_snap *snap)
{
	char link[64];

	if (sw_procfs_readlink(dirfd, "ns/mnt", link, sizeof(link)) > 0 &&
	    sw_procfs_parse_ns(link, &snap->mntns) == 0 &&
	    sw_procfs_readlink(dirfd, "ns/pid", link, sizeof(link)) > 0 &&
	    sw_procfs_parse_ns(link, &snap->pidns) == 0)
		snap->have |= SW_HAVE_NS;
}

/* The container, from the cgroup path; a host process has none. */
static void read_container(int dirfd, struct sw_proc_snap *snap)
{
	char buf[4096];
	int n = sw_procfs_read(dirfd, "cgroup", buf, sizeof(buf));

	if (n > 0 && sw_container_parse(buf, (size_t)n, &snap->container) == 1)
		snap->have |= SW_HAVE_CONTAINER;
}

void sw_procfs_snap_fini(struct sw_proc_snap *snap)
{
	free(snap->argv);
	snap->argv = NULL;
	snap->argv_len = snap->argv_cap = snap->argv_size = 0;
}

/* The first buffer: a command line longer than this is rare. */
#define ARGV_FIRST (64u << 10)

/* Room for want bytes and a NUL, doubling; never past the read cap. */
static int argv_grow(struct sw_proc_snap *snap, size_t want)
{
	size_t cap = snap->argv_cap ? snap->argv_cap : ARGV_FIRST;
	char *p;

	while (cap < want + 1 && cap <= SW_ARGV_READ_MAX)
		cap *= 2;
	if (cap > SW_ARGV_READ_MAX + 1)
		cap = SW_ARGV_READ_MAX + 1;
	if (cap <= snap->argv_cap)
		return 0;
	p = realloc(snap->argv, cap);
	if (!p)
		return -ENOMEM;
	snap->argv = p;
	snap->argv_cap = cap;
	return 0;
}

/*
 * One read() of up to room bytes at dst: bytes read, -errno.  /proc files
 * are made whole at each read (cmdline too): fewer than room is the end.
 */
static ssize_t read_some(int fd, char *dst, size_t room)
{
	ssize_t n;

	do
		n = read(fd, dst, room);
	while (n < 0 && errno == EINTR);
	return n < 0 ? -errno : n;
}

/* What is left of the file after a full buffer, counted: bytes, -errno. */
static ssize_t count_rest(int fd, size_t have)
{
	char chunk[16384];
	size_t total = 0;
	ssize_t n;

	while (have + total < SW_ARGV_COUNT_MAX) {
		n = read_some(fd, chunk, sizeof(chunk));
		if (n < 0)
			return n;
		total += (size_t)n;
		if ((size_t)n < sizeof(chunk))
			break;
	}
	return (ssize_t)total;
}

/* Into the buffer, grown as it fills: bytes, or -errno; *ret_end at EOF. */
static ssize_t read_into(int fd, struct sw_proc_snap *snap, bool *ret_end)
{
	size_t len = 0;

	*ret_end = false;
	while (len < SW_ARGV_READ_MAX) {
		size_t room;
		ssize_t n;

		if (argv_grow(snap, len + 1) < 0 && snap->argv_cap <= len + 1)
			break;		/* no memory: the rest is counted */
		room = snap->argv_cap - 1 - len;
		if (room > SW_ARGV_READ_MAX - len)
			room = SW_ARGV_READ_MAX - len;
		n = read_some(fd, snap->argv + len, room);
		if (n < 0)
			return n;
		len += (size_t)n;
		if ((size_t)n < room) {
			*ret_end = true;
			break;
		}
	}
	return (ssize_t)len;
}

/* Whether the process under dirfd has exited (a zombie, or gone). */
static bool died(int dirfd)
{
	struct sw_proc_stat st;

	return sw_procfs_stat(dirfd, &st) < 0 || st.state == 'Z' ||
	       st.state == 'X';
}

int sw_procfs_read_argv(int dirfd, const char *name, struct sw_proc_snap *snap)
{
	ssize_t len, rest = 0;
	bool end;
	int fd;

	snap->argv_len = snap->argv_size = 0;
	snap->cut &= ~(unsigned)SW_HAVE_ARGV;
	fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	len = read_into(fd, snap, &end);
	if (len > 0 && !end)
		rest = count_rest(fd, (size_t)len);
	close(fd);
	/*
	 * A process that exits while its command line is read ends the read
	 * early, as if it were the end: a line ending inside an argument whose
	 * process is gone now was cut.  Only its start was read: argv_size is
	 * what was.
	 */
	if (len > 0 && end && snap->argv[len - 1] != '\0' && died(dirfd))
		snap->cut |= SW_HAVE_ARGV;
	if (len < 0)
		return (int)len;
	if (len == 0)
		return 0;
	snap->argv_len = snap->argv_size = (size_t)len;
	if (rest > 0) {
		snap->argv_size += (size_t)rest;
		snap->cut |= SW_HAVE_ARGV;
	}
	/* A cut line, or one a process rewrote without its NUL: end it on one. */
	if (snap->argv[len - 1] != '\0')
		snap->argv[snap->argv_len++] = '\0';
	return (int)snap->argv_len;
}

int sw_procfs_snap_as(int procfd, int pid, struct sw_proc_snap *snap, bool full,
		      uint64_t host_mntns, uint64_t host_pidns, bool argv)
{
	int dirfd, r;

	snap->have = snap->gone = snap->denied = snap->cut = 0;
	snap->argv_len = snap->argv_size = 0;
	dirfd = sw_procfs_open_pid(procfd, pid);
	if (dirfd < 0)
		return dirfd;
	/* Most perishable first: a short-lived process may exit meanwhile. */
	if (argv) {
		r = sw_procfs_read_argv(dirfd, "cmdline", snap);
		if (r == 0)
			r = -ESRCH;	/* a zombie or a kernel thread: no command line */
		snap_note(snap, r, SW_HAVE_ARGV);
	}
	r = sw_procfs_readlink(dirfd, "exe", snap->exe, sizeof(snap->exe));
	snap_note(snap, r, SW_HAVE_EXE);
	r = sw_procfs_readlink(dirfd, "cwd", snap->cwd, sizeof(snap->cwd));
	snap_note(snap, r, SW_HAVE_CWD);
	read_ns(dirfd, snap);
	if (!host_mntns || !host_pidns || !(snap->have & SW_HAVE_NS) ||
	    snap->mntns != host_mntns || snap->pidns != host_pidns)
		read_container(dirfd, snap);
	if (full) {
		r = sw_procfs_status(dirfd, &snap->status);
		snap_note(snap, r, SW_HAVE_CREDS);
		r = sw_procfs_stat(dirfd, &snap->stat);
		snap_note(snap, r, SW_HAVE_PPID | SW_HAVE_COMM | SW_HAVE_START);
		if (r >= 0 && snap->stat.comm_cut)
			snap->cut |= SW_HAVE_COMM;
	} else {
		r = sw_procfs_stat(dirfd, &snap->stat);
		snap_note(snap, r, SW_HAVE_COMM | SW_HAVE_START);
		if (r >= 0 && snap->stat.comm_cut)
			snap->cut |= SW_HAVE_COMM;
	}
	close(dirfd);
	return 0;
}

int sw_procfs_snap(int procfd, int pid, struct sw_proc_snap *snap, bool full)
{
	return sw_procfs_snap_as(procfd, pid, snap, full, 0, 0, true);
}

int sw_procfs_snap_hostside(int procfd, int pid, struct sw_proc_snap *snap,
			    uint64_t host_mntns, uint64_t host_pidns)
{
	return sw_procfs_snap_as(procfd, pid, snap, false, host_mntns,
				 host_pidns, true);
}
