/* SPDX-License-Identifier: MIT */
#include "config.h"

#include "enrich.h"

void sw_enrich_exec(struct sw_enrich *e, struct sw_event *ev)
{
	struct sw_proc_snap *s = &e->snap;

	if (sw_procfs_snap(e->procfd, ev->pid, s) < 0) {
		e->stats->proc_gone++;
		return;
	}
	if (s->gone)
		e->stats->proc_gone++;
	if (s->denied)
		e->stats->proc_denied++;
	ev->have |= s->have;
	ev->ppid = s->stat.ppid;
	ev->comm = s->stat.comm;
	ev->start_ns = sw_procfs_ticks_to_ns(s->stat.start_ticks);
	ev->uid = s->status.uid;
	ev->euid = s->status.euid;
	ev->gid = s->status.gid;
	ev->egid = s->status.egid;
	ev->exe = (s->have & SW_HAVE_EXE) ? s->exe : NULL;
	ev->cwd = (s->have & SW_HAVE_CWD) ? s->cwd : NULL;
	ev->argv = (s->have & SW_HAVE_ARGV) ? s->argv : NULL;
	ev->argv_len = s->argv_len;
}
