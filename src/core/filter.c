/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <string.h>

#include "filter.h"
#include "opts.h"

void sw_filter_init(struct sw_filter *f, const struct sw_opts *o)
{
	*f = (struct sw_filter){
		.subtree = o->n_pids || o->command,
		.comm = o->comm,
		.have_uid = o->have_uid,
		.uid = o->uid,
		.events = o->events,
		.threads = o->threads,
		.nonzero_exit = o->nonzero_exit,
		.tagged = o->tagged,
	};
}

bool sw_filter_selected(const struct sw_filter *f, const struct sw_event *ev)
{
	if (f->subtree && !ev->marked)
		return false;
	if (f->comm && (!(ev->have & SW_HAVE_COMM) || strcmp(ev->comm, f->comm)))
		return false;
	if (f->have_uid && (!(ev->have & SW_HAVE_CREDS) || ev->euid != f->uid))
		return false;
	return true;
}

bool sw_filter_wanted(const struct sw_filter *f, const struct sw_event *ev)
{
	if (!(f->events & SW_EVMASK(ev->type)) || !sw_filter_selected(f, ev))
		return false;
	if (f->tagged && !ev->n_tags)
		return false;
	if ((ev->thread || ev->tid != ev->pid) && !f->threads)
		return false;
	if (ev->type == SW_EV_EXIT && f->nonzero_exit)
		return ev->u.exit.signal != 0 || ev->u.exit.exit_code != 0;
	return true;
}
