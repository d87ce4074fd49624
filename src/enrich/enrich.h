/* SPDX-License-Identifier: MIT */
/*
 * Enrich: at exec, read what the kernel's event does not carry (exe, argv,
 * cwd, credentials, comm, ppid) from /proc, at once, before the process
 * can exit.  A field that could not be read stays absent.
 */
#ifndef SW_ENRICH_H
#define SW_ENRICH_H

#include "buf.h"
#include "event.h"
#include "host.h"
#include "procfs.h"
#include "reader.h"

struct sw_enrich {
	int procfd;
	struct sw_reader *reader;	/* the reads with a deadline */
	struct sw_host host;		/* probed once: sw_host_probe() */
	uint64_t proc_gone;		/* reads: the process already gone */
	uint64_t proc_denied;		/* reads: permission denied */
	uint64_t pid_reused;		/* execs whose pid was another's by then */
	char uid_exe[PATH_MAX];		/* sw_enrich_uid()'s */
	char tracer_exe[PATH_MAX];	/* sw_enrich_tracer()'s */
};

/* Bytes one exec needs in a keep buffer besides its command line. */
#define SW_ENRICH_FIXED (2 * PATH_MAX + SW_COMM_LEN + SW_CONTAINER_ID_MAX + 8)
/* What a batch reserves per exec: those, and a 32 KiB command line. */
#define SW_ENRICH_MAX (SW_ENRICH_FIXED + (32u << 10))

/*
 * Reads /proc for an exec event.  no_container: the process was in no
 * container before the exec; if it still runs in the host's namespaces,
 * its cgroup is not read (sw_procfs_snap_hostside()).  With keep, the strings are copied into
 * keep, which must have SW_ENRICH_FIXED bytes free and is never reallocated
 * (so that events enriched earlier stay valid); without, they point into
 * e's own buffer until the next call.  The command line is read whole (up
 * to SW_ARGV_READ_MAX): one that does not fit in keep stays in e's buffer,
 * valid until the next call, and 1 is returned (the caller reads no more
 * execs ahead); otherwise 0.
 */
int sw_enrich_exec(struct sw_enrich *e, struct sw_event *ev,
		   struct sw_buf *keep, bool no_container);

/*
 * Whether a process that started start_ticks after boot (/proc/PID/stat)
 * is younger than an exec at exec_ns (CLOCK_MONOTONIC), boot_lead_ns being
 * how far CLOCK_BOOTTIME, the clock of start_ticks, is ahead: then it is
 * not the process that exec'd but a newer one on its pid.  Exact on the
 * one side (a tick is rounded down, never up), so that the exec'ing
 * process itself is never taken for another.
 */
bool sw_enrich_is_younger(uint64_t start_ticks, uint64_t exec_ns,
			  uint64_t boot_lead_ns);

/*
 * A uid event that makes a process root: which program it runs now.  A
 * setuid exec changes credentials after the new executable is in place,
 * before its exec event, so the table still names the old one.  Also its
 * saved uid and capabilities (/proc/PID/status) and whether its executable
 * has file capabilities granting CAP_SETUID: what tells a return to a uid
 * it had from an escalation.
 */
void sw_enrich_uid(struct sw_enrich *e, struct sw_event *ev);

/*
 * A ptrace attach whose tracer the table does not name: its executable
 * and mount namespace, read from /proc/TRACER (valid until the next call).
 * A failed read is counted like the exec's and leaves them unset.
 */
void sw_enrich_tracer(struct sw_enrich *e, struct sw_event *ev);

#endif
