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
	SW_NAMES_FILL(&r->ptrace.allow, debuggers);
}

static void on_event(const struct sw_detect_ctx *c, struct sw_event *ev)
{
	const struct sw_rule_ptrace *p = &c->r->ptrace;

	if (ev->type != SW_EV_PTRACE || !p->enabled || !ev->u.ptrace.tracer_pid)
		return;
	/* An unknown tracer is suspect too: it vanished too fast to name. */
	if (!ev->u.ptrace.tracer_comm ||
	    !sw_names_has(&p->allow, ev->u.ptrace.tracer_comm))
		sw_detect_tag(ev, "ptrace-attach");
}

static const struct sw_rule_key keys[] = {
	SW_KEY_ENABLED(ptrace.enabled),
	SW_KEY("allow", SW_KEY_NAMES, ptrace.allow),
	{ NULL, 0, 0, 0, 0 },
};
static const struct sw_rule_section section = { "ptrace-attach", keys };
static const struct sw_rule_section *const sections[] = { &section, NULL };

const struct sw_detector sw_rules_ptrace = {
	.family = "ptrace",
	.defaults = defaults,
	.on_event = on_event,
	.sections = sections,
};
