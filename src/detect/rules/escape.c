/* SPDX-License-Identifier: MIT */
/*
 * container-escape: at exec, a process runs in the host's mount or pid
 * namespace (init's) while it, before the
 * exec, or its parent ran in another: what nsenter or a setns() exploit
 * into the host looks like.  Entering a container is the other way round
 * and is not tagged.
 */
#include "config.h"

#include <stdlib.h>
#include <unistd.h>

#include "procfs.h"
#include "rules.h"

static uint64_t own_ns(const char *link_path)
{
	char link[64];
	ssize_t n = readlink(link_path, link, sizeof(link) - 1);
	uint64_t v = 0;

	if (n > 0) {
		link[n] = '\0';
		sw_procfs_parse_ns(link, &v);
	}
	return v;
}

static void defaults(struct sw_rules *r)
{
	r->escape.enabled = true;
	/*
	 * The host's namespaces are init's: spawnwatch itself may run in a
	 * mount namespace of its own (systemd's ProtectSystem=, PrivateTmp=).
	 * Its own, when init's cannot be read.
	 */
	r->escape.host_mntns = own_ns("/proc/1/ns/mnt");
	if (!r->escape.host_mntns)
		r->escape.host_mntns = own_ns("/proc/self/ns/mnt");
	r->escape.host_pidns = own_ns("/proc/1/ns/pid");
	if (!r->escape.host_pidns)
		r->escape.host_pidns = own_ns("/proc/self/ns/pid");
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
	const struct sw_rule_escape *e = &c->r->escape;
	bool prev, parent;

	if (ev->type != SW_EV_EXEC || !e->enabled || !(ev->have & SW_HAVE_NS))
		return;
	prev = ev->u.exec.have_prev_ns;
	parent = ev->have & SW_HAVE_PARENT_NS;
	if (entered(e->host_mntns, ev->mntns, prev, ev->u.exec.prev_mntns,
		    parent, ev->parent_mntns) ||
	    entered(e->host_pidns, ev->pidns, prev, ev->u.exec.prev_pidns,
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
