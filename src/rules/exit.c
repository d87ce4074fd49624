/* SPDX-License-Identifier: MIT */
/* killed: ended by SIGKILL.  coredump: dumped core. */
#include "config.h"

#include <signal.h>

#include "rules.h"

static void defaults(struct sw_rules *r)
{
	r->exit.killed_enabled = true;
	r->exit.coredump_enabled = true;
}

static void on_event(const struct sw_rules *r, struct sw_event *ev)
{
	if (ev->type == SW_EV_COREDUMP && r->exit.coredump_enabled)
		sw_detect_tag(ev, "coredump");
	if (ev->type != SW_EV_EXIT || ev->thread)
		return;
	if (r->exit.killed_enabled && ev->u.exit.signal == SIGKILL)
		sw_detect_tag(ev, "killed");
	if (r->exit.coredump_enabled && ev->u.exit.core)
		sw_detect_tag(ev, "coredump");
}

const struct sw_detector sw_rules_exit = {
	.family = "exit",
	.defaults = defaults,
	.on_event = on_event,
};
