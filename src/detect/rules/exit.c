/* SPDX-License-Identifier: MIT */
/*
 * How a process ended or lost its parent:
 *   orphaned  its parent died first (on the reparent event)
 *   killed    ended by SIGKILL
 *   coredump  dumped core
 */
#include "config.h"

#include <signal.h>

#include "rules.h"

static void defaults(struct sw_rules *r)
{
	r->exit.orphaned_enabled = true;
	r->exit.killed_enabled = true;
	r->exit.coredump_enabled = true;
}

static void on_event(const struct sw_detect_ctx *c, struct sw_event *ev)
{
	const struct sw_rule_exit *x = &c->r->exit;

	if (ev->type == SW_EV_REPARENT && x->orphaned_enabled)
		sw_detect_tag(ev, "orphaned");
	if (ev->type == SW_EV_COREDUMP && x->coredump_enabled)
		sw_detect_tag(ev, "coredump");
	if (ev->type != SW_EV_EXIT || ev->thread)
		return;
	if (x->killed_enabled && ev->u.exit.signal == SIGKILL)
		sw_detect_tag(ev, "killed");
	if (x->coredump_enabled && ev->u.exit.core)
		sw_detect_tag(ev, "coredump");
}

static const struct sw_rule_key orphaned_keys[] = {
	SW_KEY_ENABLED(exit.orphaned_enabled),
	{ NULL, 0, 0, 0, 0 },
};
static const struct sw_rule_key killed_keys[] = {
	SW_KEY_ENABLED(exit.killed_enabled),
	{ NULL, 0, 0, 0, 0 },
};
static const struct sw_rule_key coredump_keys[] = {
	SW_KEY_ENABLED(exit.coredump_enabled),
	{ NULL, 0, 0, 0, 0 },
};
static const struct sw_rule_section orphaned = { "orphaned", orphaned_keys };
static const struct sw_rule_section killed = { "killed", killed_keys };
static const struct sw_rule_section coredump = { "coredump", coredump_keys };
static const struct sw_rule_section *const sections[] = {
	&orphaned, &killed, &coredump, NULL,
};

const struct sw_detector sw_rules_exit = {
	.family = "exit",
	.defaults = defaults,
	.on_event = on_event,
	.sections = sections,
};
