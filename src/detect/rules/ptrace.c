/* SPDX-License-Identifier: MIT */
/*
 * ptrace-attach: a process attached to by anything but a known debugger.
 * The debugger is known by its executable's path, never by its comm or
 * basename, which anyone may choose (prctl(PR_SET_NAME), cp evil
 * /tmp/gdb).  A path read in a mount namespace other than the host's may
 * name another file than the host's (a bind mount over /usr/bin/gdb in a
 * user namespace): such a tracer is not vouched for either.
 */
#include "config.h"

#include "rules.h"

/* Where Debian, Fedora and Alpine install them (Debian's lldb is LLVM's). */
static const char *const debuggers[] = {
	"/usr/bin/gdb", "/usr/bin/gdb-multiarch", "/usr/bin/gdbserver",
	"/usr/bin/strace", "/usr/bin/ltrace", "/usr/bin/lldb",
	"/usr/bin/lldb-server", "/usr/bin/perf", "/usr/bin/rr",
	"/usr/lib/llvm-14/bin/lldb", "/usr/lib/llvm-14/bin/lldb-server",
	"/usr/lib/llvm-15/bin/lldb", "/usr/lib/llvm-15/bin/lldb-server",
	"/usr/lib/llvm-16/bin/lldb", "/usr/lib/llvm-16/bin/lldb-server",
	"/usr/lib/llvm-17/bin/lldb", "/usr/lib/llvm-17/bin/lldb-server",
	"/usr/lib/llvm-18/bin/lldb", "/usr/lib/llvm-18/bin/lldb-server",
	"/usr/lib/llvm-19/bin/lldb", "/usr/lib/llvm-19/bin/lldb-server",
};

static void defaults(struct sw_rules *r)
{
	r->ptrace.enabled = true;
	SW_NAMES_FILL(&r->ptrace.allow, debuggers);
}

static bool known(const struct sw_detect_ctx *c, const struct sw_event *ev)
{
	uint64_t ns = ev->u.ptrace.tracer_mntns;

	if (!ev->u.ptrace.tracer_exe ||
	    !sw_paths_has(&c->r->ptrace.allow, ev->u.ptrace.tracer_exe))
		return false;
	return !(ns && c->host && c->host->mntns && ns != c->host->mntns);
}

static void on_event(const struct sw_detect_ctx *c, struct sw_event *ev)
{
	if (ev->type != SW_EV_PTRACE || !c->r->ptrace.enabled ||
	    !ev->u.ptrace.tracer_pid)
		return;
	/* An unknown tracer is suspect too: it vanished too fast to read. */
	if (!known(c, ev))
		sw_detect_tag(ev, "ptrace-attach");
}

static const struct sw_rule_key keys[] = {
	SW_KEY_ENABLED(ptrace.enabled),
	SW_KEY("allow", SW_KEY_PATHS, ptrace.allow),
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
