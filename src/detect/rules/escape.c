/* SPDX-License-Identifier: MIT */
/*
 * container-escape: at exec, a process runs in the host's mount or pid
 * namespace (init's) while it, before the exec, or its parent ran in
 * another: what nsenter or a setns() exploit into the host looks like.
 * Entering a container is the other way round and is not tagged.  The
 * host's namespaces are a host fact (struct sw_host), probed once by the
 * live watch, or those of the recorded start line in replay.
 */
#include "config.h"

#include "rules.h"

static void defaults(struct sw_rules *r)
{
	r->escape.enabled = true;
}

/* Now in the host's namespace, before (or the parent) in another one. */
static bool entered(uint64_t host, uint64_t now, bool have_prev, uint64_t prev,
		    bool have_parent, uint64_t parent)
{
	if (!host || now != host)
		return false;
	return (have_prev && prev != host) || (have_parent && parent != host);
}

static void on_event(const struct sw_detect_ctx *c, struct sw_event *ev)
{
	const struct sw_host *h = c->host;
	bool prev, parent;

	if (ev->type != SW_EV_EXEC || !c->r->escape.enabled || !h ||
	    !(ev->have & SW_HAVE_NS))
		return;
	prev = ev->u.exec.have_prev_ns;
	parent = ev->have & SW_HAVE_PARENT_NS;
	if (entered(h->mntns, ev->mntns, prev, ev->u.exec.prev_mntns,
		    parent, ev->parent_mntns) ||
	    entered(h->pidns, ev->pidns, prev, ev->u.exec.prev_pidns,
		    parent, ev->parent_pidns))
		sw_detect_tag(ev, "container-escape");
}

static const struct sw_rule_key keys[] = {
	SW_KEY_ENABLED(escape.enabled),
	{ NULL, 0, 0, 0, 0 },
};
static const struct sw_rule_section section = { "container-escape", keys };
static const struct sw_rule_section *const sections[] = { &section, NULL };

const struct sw_detector sw_rules_escape = {
	.family = "escape",
	.defaults = defaults,
	.on_event = on_event,
	.sections = sections,
};
