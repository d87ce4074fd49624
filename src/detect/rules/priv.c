/* SPDX-License-Identifier: MIT */
/*
 * privilege-escalation: a process's effective uid becomes 0 from another
 * (a setuid-root exec, a setuid() call), or a program starts as root under
 * a parent that is not.  Programs whose job that is (sudo, su, doas,
 * passwd, ...) are allowed, by the path of the executable running at that
 * moment (read from /proc at the uid event: a setuid exec changes
 * credentials once the new program is in place, before its exec event).
 * A path, never a basename: a setuid-root copy planted as /tmp/.x/sudo is
 * what this tag is for.
 */
#include "config.h"

#include "rules.h"

/*
 * Where Debian, Fedora and Alpine install them (sudoedit and sg are links
 * to sudo and newgrp; Alpine's busybox su is the setuid bbsuid).
 */
static const char *const helpers[] = {
	"/usr/bin/sudo", "/usr/bin/su", "/usr/bin/doas", "/usr/bin/passwd",
	"/usr/bin/pkexec", "/usr/bin/newgrp", "/usr/bin/sg", "/usr/bin/chsh",
	"/usr/bin/chfn", "/usr/bin/gpasswd", "/usr/bin/mount",
	"/usr/bin/umount", "/usr/bin/fusermount", "/usr/bin/fusermount3",
	"/usr/sbin/unix_chkpwd", "/usr/lib/polkit-1/polkit-agent-helper-1",
	"/usr/libexec/polkit-agent-helper-1",
	"/usr/lib/openssh/ssh-keysign", "/usr/libexec/openssh/ssh-keysign",
	"/usr/lib/ssh/ssh-keysign", "/usr/lib/xorg/Xorg.wrap",
	"/usr/libexec/Xorg.wrap",
	"/usr/lib/dbus-1.0/dbus-daemon-launch-helper",
	"/usr/libexec/dbus-daemon-launch-helper",
	"/usr/libexec/dbus-1/dbus-daemon-launch-helper", "/bin/bbsuid",
};

static void defaults(struct sw_rules *r)
{
	r->priv.enabled = true;
	SW_NAMES_FILL(&r->priv.allow, helpers);
}

/* One executable by its path: a renamed copy elsewhere does not pass. */
static bool allowed(const struct sw_rule_priv *p, const char *exe)
{
	return exe && sw_paths_has(&p->allow, exe);
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
	SW_KEY("allow", SW_KEY_PATHS, priv.allow),
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
