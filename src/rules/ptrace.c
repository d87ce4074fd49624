/* SPDX-License-Identifier: MIT */
/* ptrace-attach: a process attached to by anything but a known debugger. */
#include "config.h"

#include "rules.h"

static const char *const debuggers[] = {
	"gdb", "strace", "ltrace", "lldb", "lldb-server", "perf", "gdbserver",
	"rr",
};

static void defaults(struct sw_rules *r)
{
	r->ptrace.enabled = true;
	for (unsigned i = 0; i < sizeof(debuggers) / sizeof(debuggers[0]); i++)
		r->ptrace.allow.v[r->ptrace.allow.n++] = debuggers[i];
}

static void on_event(const struct sw_rules *r, struct sw_event *ev)
{
	if (ev->type != SW_EV_PTRACE || !r->ptrace.enabled ||
	    !ev->u.ptrace.tracer_pid)
		return;
	/* An unknown tracer is suspect too: it vanished too fast to name. */
	if (!ev->u.ptrace.tracer_comm ||
	    !sw_names_has(&r->ptrace.allow, ev->u.ptrace.tracer_comm))
		sw_detect_tag(ev, "ptrace-attach");
}

const struct sw_detector sw_rules_ptrace = {
	.family = "ptrace",
	.defaults = defaults,
	.on_event = on_event,
};
