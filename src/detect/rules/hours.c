/* SPDX-License-Identifier: MIT */
/*
 * off-hours: a program started from an interactive session (a process
 * below sshd, login or a terminal) outside the working hours and days the
 * rules file sets, in local time.  Off until both are set.
 */
#include "config.h"

#include <time.h>

#include "lineage.h"
#include "rules.h"

static const char *const sessions[] = {
	"sshd", "login", "gdm-session-worker", "lightdm", "sddm-helper",
	"xterm", "gnome-terminal-server", "konsole", "xfce4-terminal",
	"kitty", "alacritty", "foot", "terminator", "urxvt", "tmux", "screen",
	"mosh-server", "dropbear",
};

/* How far up the tree a session is looked for. */
#define MAX_UP 64

static void defaults(struct sw_rules *r)
{
	r->hours.enabled = false;
	SW_NAMES_FILL(&r->hours.sessions, sessions);
}

static bool is_session(const struct sw_names *l, const char *exe,
		       const char *comm)
{
	return (exe && sw_names_has(l, sw_rule_base(exe))) ||
	       (comm && sw_names_has(l, comm));
}

static bool interactive(const struct sw_detect_ctx *c, const struct sw_event *ev)
{
	const struct sw_names *l = &c->r->hours.sessions;
	const struct sw_proc *p = c->l ? sw_lineage_lookup(c->l, ev->pid) : NULL;

	if (p) {
		unsigned up = 0;

		for (p = p->parent; p && up < MAX_UP; p = p->parent, up++)
			if (is_session(l, (p->have & SW_HAVE_EXE) && p->exe ? p->exe->s : NULL,
				       (p->have & SW_HAVE_COMM) ? p->comm : NULL))
				return true;
		return false;
	}
	for (unsigned i = 0; i < ev->n_ancestry; i++)
		if (is_session(l, ev->ancestry[i].exe, ev->ancestry[i].comm))
			return true;
	return false;
}

/* Whether local time t falls in the working hours and days. */
static bool working(const struct sw_rule_hours *h, time_t t)
{
	struct tm tm;
	unsigned min, day;

	if (!localtime_r(&t, &tm))
		return true;
	min = (unsigned)(tm.tm_hour * 60 + tm.tm_min);
	day = (unsigned)tm.tm_wday;
	if (h->from_min < h->to_min)
		return (h->days & (1u << day)) && min >= h->from_min &&
		       min < h->to_min;
	/* Overnight (22:00-06:00): the early hours belong to the day before. */
	if (min >= h->from_min)
		return h->days & (1u << day);
	return min < h->to_min && (h->days & (1u << ((day + 6) % 7)));
}

static void on_event(const struct sw_detect_ctx *c, struct sw_event *ev)
{
	const struct sw_rule_hours *h = &c->r->hours;
	int64_t wall;

	if (ev->type != SW_EV_EXEC || !h->enabled || !h->have_hours || !h->days)
		return;
	wall = (int64_t)ev->ktime_ns + c->realtime_offset_ns;
	if (!working(h, (time_t)(wall / 1000000000)) && interactive(c, ev))
		sw_detect_tag(ev, "off-hours");
}

static const struct sw_rule_key keys[] = {
	SW_KEY_ENABLED(hours.enabled),
	SW_KEY("hours", SW_KEY_HOURS, hours.from_min),
	SW_KEY("days", SW_KEY_DAYS, hours.days),
	SW_KEY("sessions", SW_KEY_NAMES, hours.sessions),
	{ NULL, 0, 0, 0, 0 },
};
static const struct sw_rule_section section = { "off-hours", keys };
static const struct sw_rule_section *const sections[] = { &section, NULL };

const struct sw_detector sw_rules_hours = {
	.family = "hours",
	.defaults = defaults,
	.on_event = on_event,
	.sections = sections,
};
