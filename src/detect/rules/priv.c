/* SPDX-License-Identifier: MIT */
/*
 * privilege-escalation: a process gains root it never had.
 *
 * A setuid-root exec that leaves the real uid non-zero: the kernel sends
 * the uid event (effective 0) while the new program is already in place
 * and before its exec event, so the uid line still shows the old program.
 * The uid event only notes it (in the process's slot: the executable read
 * then is not the one the table knows), whatever the process held before
 * (the exec resets its saved uid), and the exec line that follows,
 * which carries the escalated program, is tagged; so is the exec line of
 * each program it starts, in the same process or in a child.
 *
 * A uid change to 0 outside an exec is tagged on its own line when the
 * process never had 0 as real or saved uid: its real uid was not 0, it was
 * not seen dropping root (an earlier uid event from 0, or a parent's
 * before the fork), and what /proc says at that rare event (read by
 * enrich) shows no 0 it returned to: a saved uid still not 0, file
 * capabilities granting CAP_SETUID on its executable, or CAP_SETUID among
 * capabilities that are not root's whole set.  A process found in /proc
 * at start-up whose history is unknown and that sets all its uids to 0 is
 * believed to return.
 *
 * Programs whose job it is (sudo, su, doas, passwd, ...) are allowed, by
 * the path of the executable running at that moment; so are the programs
 * they start (mount's helpers, Xorg.wrap's Xorg), except a shell: none of
 * these gives a shell root's effective uid under a user's real uid.  A
 * path, never a basename: a setuid-root copy planted as /tmp/.x/sudo is
 * what this tag is for.
 */
#include "config.h"

#include <string.h>

#include "lineage.h"
#include "rules.h"

#define CAP_SETUID_BIT (1ull << 7)

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

static const char *const shells[] = {
	"sh", "bash", "dash", "ash", "zsh", "ksh", "ksh93", "mksh", "pdksh",
	"posh", "yash", "csh", "tcsh", "fish", "busybox",
};

static void defaults(struct sw_rules *r)
{
	r->priv.enabled = true;
	SW_NAMES_FILL(&r->priv.allow, helpers);
	SW_NAMES_FILL(&r->priv.shells, shells);
}

/* One executable by its path: a renamed copy elsewhere does not pass. */
static bool allowed(const struct sw_rule_priv *p, const char *exe)
{
	return exe && sw_paths_has(&p->allow, exe);
}

static bool is_shell(const struct sw_rule_priv *p, const struct sw_event *ev)
{
	return ((ev->have & SW_HAVE_EXE) && ev->exe &&
		sw_names_has(&p->shells, sw_rule_base(ev->exe))) ||
	       ((ev->have & SW_HAVE_COMM) && ev->comm &&
		sw_names_has(&p->shells, ev->comm));
}

/* The process's slot, by the table's identity; made when asked. */
static struct sw_slot *slot(const struct sw_detect_ctx *c,
			    const struct sw_event *ev, bool make)
{
	const struct sw_proc *p = c->l ? sw_lineage_lookup(c->l, ev->pid) : NULL;
	uint64_t start = p ? p->start_ns : ev->start_ns;

	if (make)
		return sw_slot_for(c, ev->pid, start);
	return c->slots ? sw_slots_find(c->slots, ev->pid, start) : NULL;
}

static size_t undeleted_len(const char *s)
{
	static const char deleted[] = " (deleted)";
	size_t n = strlen(s), d = sizeof(deleted) - 1;

	return n > d && strcmp(s + n - d, deleted) == 0 ? n - d : n;
}

/* The executable at the uid event is not the table's: an exec under way. */
static bool in_exec(const struct sw_event *ev)
{
	const char *now = ev->u.id.exe;
	const char *was = (ev->have & SW_HAVE_EXE) ? ev->exe : NULL;
	size_t n;

	if (!now || !was)
		return false;
	n = undeleted_len(now);
	return n != undeleted_len(was) || memcmp(now, was, n) != 0;
}

static bool seeded(const struct sw_detect_ctx *c, const struct sw_event *ev)
{
	const struct sw_proc *p = c->l ? sw_lineage_lookup(c->l, ev->pid) : NULL;

	return p && p->seeded;
}

/* A gain of root outside an exec, by a process not known to have had it. */
static bool never_had(const struct sw_detect_ctx *c, const struct sw_event *ev)
{
	uint64_t eff = ev->u.id.cap_eff;

	if (ev->u.id.file_setuid)
		return true;
	if (!ev->u.id.have_privs)
		return !seeded(c, ev);
	if (ev->u.id.saved != 0)
		return true;	/* no 0 to return to: CAP_SETUID, or the kernel */
	if ((eff & CAP_SETUID_BIT) && eff != ev->u.id.cap_bnd)
		return true;	/* capabilities granted, not root's own */
	if (ev->u.id.r != 0)
		return false;	/* back to its saved 0 */
	return !seeded(c, ev);
}

static void set_how(const struct sw_detect_ctx *c, const struct sw_event *ev,
		    uint8_t how)
{
	struct sw_slot *x = slot(c, ev, true);

	if (x) {
		x->priv_how = how;
		x->priv_gen = 0;
		x->priv_exec = false;
	}
}

static void on_uid(const struct sw_detect_ctx *c, struct sw_event *ev)
{
	const struct sw_rule_priv *p = &c->r->priv;
	const char *exe = ev->u.id.exe ? ev->u.id.exe
			  : (ev->have & SW_HAVE_EXE) ? ev->exe : NULL;
	struct sw_slot *x = slot(c, ev, false);
	uint8_t how = x ? x->priv_how : SW_PRIV_NONE;
	bool during;

	if (ev->pid != ev->tid || !ev->u.id.have_prev)
		return;
	if (ev->u.id.prev_e == 0 || ev->u.id.e != 0) {
		/* A drop from root: it may come back. */
		if ((ev->u.id.prev_r == 0 || ev->u.id.prev_e == 0) &&
		    (ev->u.id.r != 0 || ev->u.id.e != 0) && how == SW_PRIV_NONE)
			set_how(c, ev, SW_PRIV_OWN);
		return;
	}
	during = in_exec(ev);
	/*
	 * Its real uid, tagged once, or a uid it had (an exec resets the
	 * saved uid: a setuid one is judged whatever came before).
	 */
	if (ev->u.id.prev_r == 0 || how == SW_PRIV_ESCALATED ||
	    (how != SW_PRIV_NONE && !during))
		return;
	if (allowed(p, exe)) {
		set_how(c, ev, SW_PRIV_HELPER);
		return;
	}
	if (!during && !never_had(c, ev)) {
		set_how(c, ev, SW_PRIV_OWN);
		return;
	}
	set_how(c, ev, SW_PRIV_ESCALATED);
	if (during && (x = slot(c, ev, false)))
		x->priv_exec = true;	/* the exec line to come */
	else
		sw_detect_tag(ev, "privilege-escalation");
}

/* Whether the exec line of a process holding root this way is the escalation. */
static bool exec_escalates(const struct sw_detect_ctx *c, struct sw_slot *x,
			   const struct sw_event *ev, bool root, bool mixed)
{
	const struct sw_rule_priv *p = &c->r->priv;

	switch (x->priv_how) {
	case SW_PRIV_ESCALATED:
		if (x->priv_exec) {
			x->priv_exec = false;
			return true;
		}
		if (root && x->priv_gen < UINT8_MAX)
			x->priv_gen++;
		return root && x->priv_gen == 1;
	case SW_PRIV_HELPER:
		return mixed && is_shell(p, ev);
	default:
		return false;
	}
}

static void on_exec(const struct sw_detect_ctx *c, struct sw_event *ev)
{
	const struct sw_rule_priv *p = &c->r->priv;
	const char *exe = (ev->have & SW_HAVE_EXE) ? ev->exe : NULL;
	bool creds = ev->have & SW_HAVE_CREDS;
	bool root = creds && ev->euid == 0, mixed = root && ev->uid != 0;
	struct sw_slot *x = slot(c, ev, false);
	bool esc;

	if (x && x->priv_how != SW_PRIV_NONE)
		esc = exec_escalates(c, x, ev, root, mixed);
	else
		esc = mixed;	/* a setuid exec whose uid event was not seen */
	if (esc && !allowed(p, exe))
		sw_detect_tag(ev, "privilege-escalation");
	/* An exec sets the saved uid to the effective one. */
	if (x && creds && ev->euid != 0) {
		x->priv_how = SW_PRIV_NONE;
		x->priv_gen = 0;
		x->priv_exec = false;
	}
}

/* A child holds root as its parent did. */
static void on_fork(const struct sw_detect_ctx *c, const struct sw_event *ev)
{
	const struct sw_proc *child, *parent;
	const struct sw_slot *px;
	struct sw_slot *cx;

	if (ev->thread || !c->l || !c->pend->new_child ||
	    !(child = sw_lineage_lookup(c->l, ev->pid)) ||
	    !(parent = child->parent) || !(px = sw_slot_of(c, parent)) ||
	    px->priv_how == SW_PRIV_NONE)
		return;
	if (!(cx = sw_slot_for(c, child->pid, child->start_ns)))
		return;
	cx->priv_how = px->priv_how;
	cx->priv_gen = px->priv_gen;
	cx->priv_exec = false;
}

static void on_event(const struct sw_detect_ctx *c, struct sw_event *ev)
{
	if (!c->r->priv.enabled)
		return;
	if (ev->type == SW_EV_UID)
		on_uid(c, ev);
	else if (ev->type == SW_EV_EXEC)
		on_exec(c, ev);
	else if (ev->type == SW_EV_FORK)
		on_fork(c, ev);
}

static const struct sw_rule_key keys[] = {
	SW_KEY_ENABLED(priv.enabled),
	SW_KEY("allow", SW_KEY_PATHS, priv.allow),
	SW_KEY("shells", SW_KEY_NAMES, priv.shells),
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
