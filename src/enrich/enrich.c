/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "enrich.h"

void sw_enrich_uid(struct sw_enrich *e, struct sw_event *ev)
{
	int fd;

	if (ev->type != SW_EV_UID || ev->u.id.e != 0 || ev->pid != ev->tid)
		return;
	fd = sw_procfs_open_pid(e->procfd, ev->pid);
	if (fd < 0)
		return;
	if (sw_procfs_readlink(fd, "exe", e->snap.exe, sizeof(e->snap.exe)) > 0)
		ev->u.id.exe = e->snap.exe;
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

int sw_enrich_exec(struct sw_enrich *e, struct sw_event *ev,
		   struct sw_buf *keep, bool no_container)
{
	struct sw_proc_snap *s = &e->snap;
	int r;

	ev->enriched = true;
	r = no_container ? sw_procfs_snap_hostside(e->procfd, ev->pid, s,
						   e->host.mntns, e->host.pidns)
			 : sw_procfs_snap(e->procfd, ev->pid, s, false);
	if (r < 0) {
		e->proc_gone++;
		return 0;
	}
	if (s->gone)
		e->proc_gone++;
	if (s->denied)
		e->proc_denied++;
	ev->have |= s->have;
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
	return keep ? keep_strings(ev, keep) : 0;
}
