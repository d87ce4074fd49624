/* SPDX-License-Identifier: MIT */
/*
 * privilege-escalation: a process's effective uid becomes 0 from another
 * (a setuid-root exec, a setuid() call), or a program starts as root under
 * a parent that is not.  Programs whose job that is (sudo, su, doas,
 * passwd, ...) are allowed, by the name of the executable running at that
 * moment (read from /proc at the uid event: a setuid exec changes
 * credentials once the new program is in place, before its exec event).
 */
#include "config.h"

#include <string.h>

#include "rules.h"

static const char *const helpers[] = {
	"sudo", "su", "doas", "passwd", "pkexec", "newgrp", "sg", "chsh",
	"chfn", "gpasswd", "mount", "umount", "fusermount", "fusermount3",
	"unix_chkpwd", "polkit-agent-helper-1", "ssh-keysign", "sudoedit",
	"Xorg.wrap", "dbus-daemon-launch-helper",
};

static void defaults(struct sw_rules *r)
{
	r->priv.enabled = true;
	SW_NAMES_FILL(&r->priv.allow, helpers);
}

/*
 * An entry with a slash names one executable (/usr/bin/sudo): a renamed
 * copy elsewhere does not pass.  A bare name passes wherever it lives.
 */
static bool allowed(const struct sw_rule_priv *p, const char *exe)
{
	if (!exe)
		return false;
	for (unsigned i = 0; i < p->allow.n; i++) {
		const char *a = p->allow.v[i];

		if (strcmp(a, strchr(a, '/') ? exe : sw_rule_base(exe)) == 0)
			return true;
	}
	return false;
}

static void on_event(const struct sw_detect_ctx *c, struct sw_event *ev)
{
	const struct sw_rule_priv *p = &c->r->priv;
	const char *exe = (ev->have & SW_HAVE_EXE) ? ev->exe : NULL;

	if (!p->enabled)
		return;
	if (ev->type == SW_EV_UID && ev->pid == ev->tid && ev->u.id.have_prev &&
	    ev->u.id.prev_e != 0 && ev->u.id.e == 0 &&
	    !allowed(p, ev->u.id.exe ? ev->u.id.exe : exe))
		sw_detect_tag(ev, "privilege-escalation");
	if (ev->type == SW_EV_EXEC && (ev->have & SW_HAVE_CREDS) &&
	    ev->euid == 0 && (ev->have & SW_HAVE_PARENT_CREDS) &&
	    ev->parent_euid != 0 && !allowed(p, exe))
		sw_detect_tag(ev, "privilege-escalation");
}

static const struct sw_rule_key keys[] = {
	SW_KEY_ENABLED(priv.enabled),
	SW_KEY("allow", SW_KEY_NAMES, priv.allow),
	{ NULL, 0, 0, 0, 0 },
};
static const struct sw_rule_section section = { "privilege-escalation", keys };
static const struct sw_rule_section *const sections[] = { &section, NULL };

const struct sw_detector sw_rules_priv = {
	.family = "priv",
	.defaults = defaults,
	.on_event = on_event,
	.sections = sections,
};
