/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "enrich.h"

void sw_enrich_uid(struct sw_enrich *e, struct sw_event *ev)
{
	struct sw_proc_privs privs;
	int fd;

	if (ev->type != SW_EV_UID || ev->u.id.e != 0 || ev->pid != ev->tid)
		return;
	fd = sw_procfs_open_pid(e->procfd, ev->pid);
	if (fd < 0)
		return;
	/* A link, not the process's memory: this read does not block. */
	if (sw_procfs_readlink(fd, "exe", e->uid_exe, sizeof(e->uid_exe)) > 0)
		ev->u.id.exe = e->uid_exe;
	/* Rare (a gain of root): how it could, for privilege-escalation. */
	if (sw_procfs_privs(fd, &privs) == 0) {
		ev->u.id.have_privs = true;
		ev->u.id.saved = privs.suid;
		ev->u.id.cap_eff = privs.cap_eff;
		ev->u.id.cap_bnd = privs.cap_bnd;
	}
	ev->u.id.file_setuid = sw_procfs_file_setuid(fd) == 1;
	close(fd);
}

static void count_failure(struct sw_enrich *e, int err)
{
	if (sw_procfs_gone(err))
		e->proc_gone++;
	else
		e->proc_denied++;
}

void sw_enrich_tracer(struct sw_enrich *e, struct sw_event *ev)
{
	char link[64];
	int fd, r;

	if (ev->type != SW_EV_PTRACE || ev->u.ptrace.tracer_pid <= 0 ||
	    ev->u.ptrace.tracer_exe)
		return;
	fd = sw_procfs_open_pid(e->procfd, ev->u.ptrace.tracer_pid);
	if (fd < 0) {
		count_failure(e, fd);
		return;
	}
	r = sw_procfs_readlink(fd, "exe", e->tracer_exe, sizeof(e->tracer_exe));
	if (r > 0) {
		ev->u.ptrace.tracer_exe = e->tracer_exe;
		if (sw_procfs_readlink(fd, "ns/mnt", link, sizeof(link)) <= 0 ||
		    sw_procfs_parse_ns(link, &ev->u.ptrace.tracer_mntns) < 0)
			ev->u.ptrace.tracer_mntns = 0;
	} else {
		count_failure(e, r ? r : -ENOENT);
	}
	close(fd);
}

static const char *keep_str(struct sw_buf *keep, const char *s, size_t n)
{
	char *p = keep->data + keep->len;

	memcpy(p, s, n);
	p[n] = '\0';
	keep->len += n + 1;
	return p;
}

/* 1 when the command line does not fit and stays where it was read. */
static int keep_strings(struct sw_event *ev, struct sw_buf *keep)
{
	int left = 0;

	if (ev->comm)
		ev->comm = keep_str(keep, ev->comm, strlen(ev->comm));
	if (ev->exe)
		ev->exe = keep_str(keep, ev->exe, strlen(ev->exe));
	if (ev->cwd)
		ev->cwd = keep_str(keep, ev->cwd, strlen(ev->cwd));
	if (ev->container_id)
		ev->container_id = keep_str(keep, ev->container_id,
					    strlen(ev->container_id));
	if (ev->argv && keep->cap - keep->len > ev->argv_len + 1)
		ev->argv = keep_str(keep, ev->argv, ev->argv_len);
	else if (ev->argv)
		left = 1;
	return left;
}

bool sw_enrich_is_younger(uint64_t start_ticks, uint64_t exec_ns,
			  uint64_t boot_lead_ns)
{
	uint64_t start = sw_procfs_ticks_to_ns(start_ticks);

	return start > boot_lead_ns && start - boot_lead_ns > exec_ns;
}

static uint64_t boot_lead_ns(void)
{
	struct timespec b, m;
	uint64_t bn, mn;

	if (clock_gettime(CLOCK_BOOTTIME, &b) < 0 ||
	    clock_gettime(CLOCK_MONOTONIC, &m) < 0)
		return 0;
	bn = (uint64_t)b.tv_sec * 1000000000ull + (uint64_t)b.tv_nsec;
	mn = (uint64_t)m.tv_sec * 1000000000ull + (uint64_t)m.tv_nsec;
	return bn > mn ? bn - mn : 0;
}

static const unsigned field_bits[SW_UF__MAX] = {
	[SW_UF_ARGV] = SW_HAVE_ARGV,
	[SW_UF_EXE] = SW_HAVE_EXE,
	[SW_UF_CWD] = SW_HAVE_CWD,
	[SW_UF_COMM] = SW_HAVE_COMM,
};

static void all_unread(struct sw_event *ev, enum sw_unread why)
{
	for (unsigned i = 0; i < SW_UF__MAX; i++)
		ev->unread[i] = (uint8_t)why;
}

/* Why each field the exec line should have is missing. */
static void note_unread(struct sw_event *ev, const struct sw_proc_snap *s)
{
	for (unsigned i = 0; i < SW_UF__MAX; i++) {
		unsigned bit = field_bits[i];

		if (s->have & bit)
			ev->unread[i] = SW_UNREAD_NONE;
		else if (s->timedout & bit)
			ev->unread[i] = SW_UNREAD_TIMEOUT;
		else if (s->denied & bit)
			ev->unread[i] = SW_UNREAD_DENIED;
		else
			ev->unread[i] = SW_UNREAD_GONE;
	}
}

/* The pinned /proc/PID was a process younger than the exec: none of it is its. */
static bool reused(const struct sw_event *ev, const struct sw_proc_snap *s)
{
	return ev->ktime_ns && (s->have & SW_HAVE_START) &&
	       sw_enrich_is_younger(s->stat.start_ticks, ev->ktime_ns,
				    boot_lead_ns());
}

static void fill(struct sw_event *ev, const struct sw_proc_snap *s)
{
	/* The start time checks whose data it is; the table keeps its own. */
	ev->have |= s->have & ~(unsigned)SW_HAVE_START;
	ev->ppid = s->stat.ppid;
	ev->comm = (s->have & SW_HAVE_COMM) ? s->stat.comm : NULL;
	ev->start_ns = sw_procfs_ticks_to_ns(s->stat.start_ticks);
	ev->uid = s->status.uid;
	ev->euid = s->status.euid;
	ev->gid = s->status.gid;
	ev->egid = s->status.egid;
	ev->exe = (s->have & SW_HAVE_EXE) ? s->exe : NULL;
	ev->cwd = (s->have & SW_HAVE_CWD) ? s->cwd : NULL;
	ev->argv = (s->have & SW_HAVE_ARGV) ? s->argv : NULL;
	ev->argv_len = s->argv_len;
	ev->argv_size = s->argv_size;
	ev->cut |= s->cut & s->have;
	ev->mntns = s->mntns;
	ev->pidns = s->pidns;
	if (s->have & SW_HAVE_CONTAINER) {
		ev->container_id = s->container.id;
		ev->container_runtime = s->container.runtime;
	}
}

/*
 * A process in a mount and a pid namespace other than the host's is in a
 * container even where its cgroup names no runtime (plain runc).  The name
 * its cgroup gave is this snapshot's only: the buffer is read into again,
 * and a cgroup that is not read then leaves it.
 */
static void ns_container(const struct sw_enrich *e, struct sw_proc_snap *s)
{
	if (!(s->have & SW_HAVE_CONTAINER) && (s->have & SW_HAVE_NS) &&
	    sw_container_by_ns(&s->container, s->mntns, s->pidns,
			       e->host.mntns, e->host.pidns))
		s->have |= SW_HAVE_CONTAINER;
	s->container.name[0] = '\0';
}

int sw_enrich_exec(struct sw_enrich *e, struct sw_event *ev,
		   struct sw_buf *keep, bool no_container)
{
	struct sw_proc_snap *s;
	int r;

	ev->enriched = true;
	r = sw_reader_snap(e->reader, ev->pid, false,
			   no_container ? e->host.mntns : 0,
			   no_container ? e->host.pidns : 0, &s);
	if (r < 0) {
		bool gone = sw_procfs_gone(r);

		all_unread(ev, gone ? SW_UNREAD_GONE : SW_UNREAD_DENIED);
		if (gone)
			e->proc_gone++;
		else
			e->proc_denied++;
		return 0;
	}
	ns_container(e, s);
	if (reused(ev, s)) {
		all_unread(ev, SW_UNREAD_REUSED);
		e->pid_reused++;
		return 0;
	}
	if (s->gone)
		e->proc_gone++;
	if (s->denied)
		e->proc_denied++;
	note_unread(ev, s);
	fill(ev, s);
	return keep ? keep_strings(ev, keep) : 0;
}
