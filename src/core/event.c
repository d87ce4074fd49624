/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <stddef.h>
#include <string.h>

#include "event.h"

static const char *const names[SW_EV__MAX] = {
	[SW_EV_FORK] = "fork",		[SW_EV_EXEC] = "exec",
	[SW_EV_EXIT] = "exit",		[SW_EV_UID] = "uid",
	[SW_EV_GID] = "gid",		[SW_EV_SID] = "sid",
	[SW_EV_PTRACE] = "ptrace",	[SW_EV_COMM] = "comm",
	[SW_EV_COREDUMP] = "coredump",	[SW_EV_REPARENT] = "reparent",
	[SW_EV_ANOMALY] = "anomaly",	[SW_EV_LOST] = "lost",
	[SW_EV_RESYNC] = "resync",	[SW_EV_START] = "start",
	[SW_EV_STOP] = "stop",		[SW_EV_ACK] = "ack",
};

void sw_event_reset(struct sw_event *ev, enum sw_ev_type type)
{
	/* About 150 bytes instead of the whole 1.7 KiB, once per event. */
	memset(ev, 0, offsetof(struct sw_event, ancestry));
	ev->type = type;
}

const char *sw_event_name(enum sw_ev_type type)
{
	return (unsigned)type < SW_EV__MAX ? names[type] : "unknown";
}

int sw_event_from_name(const char *name)
{
	for (int i = 0; i < SW_EV__MAX; i++)
		if (strcmp(names[i], name) == 0)
			return i;
	return -1;
}

bool sw_event_is_process(enum sw_ev_type t)
{
	return t < SW_EV_KERNEL_KINDS || t == SW_EV_REPARENT || t == SW_EV_ANOMALY;
}

static const char *const unread_names[SW_UNREAD__MAX] = {
	[SW_UNREAD_GONE] = "proc_gone",
	[SW_UNREAD_DENIED] = "proc_denied",
	[SW_UNREAD_TIMEOUT] = "proc_timeout",
	[SW_UNREAD_REUSED] = "pid_reused",
};

static const char *const unread_fields[SW_UF__MAX] = {
	[SW_UF_ARGV] = "argv",
	[SW_UF_EXE] = "exe",
	[SW_UF_CWD] = "cwd",
	[SW_UF_COMM] = "comm",
};

const char *sw_unread_name(unsigned reason)
{
	return reason < SW_UNREAD__MAX ? unread_names[reason] : NULL;
}

unsigned sw_unread_from_name(const char *name)
{
	for (unsigned i = 1; i < SW_UNREAD__MAX; i++)
		if (strcmp(name, unread_names[i]) == 0)
			return i;
	return SW_UNREAD_NONE;
}

const char *sw_unread_field_name(unsigned field)
{
	return field < SW_UF__MAX ? unread_fields[field] : NULL;
}

bool sw_event_has_unread(const struct sw_event *ev)
{
	for (unsigned i = 0; i < SW_UF__MAX; i++)
		if (ev->unread[i])
			return true;
	return false;
}

static const char *const via_names[SW_VIA__MAX] = {
	[SW_VIA_STDIO] = "stdio",
	[SW_VIA_PIPE] = "pipe",
	[SW_VIA_PTY] = "pty",
	[SW_VIA_SOCKETPAIR] = "socketpair",
};

const char *sw_net_via_name(unsigned via)
{
	return via < SW_VIA__MAX ? via_names[via] : NULL;
}

int sw_net_via_from_name(const char *name)
{
	for (int i = 0; i < SW_VIA__MAX; i++)
		if (strcmp(via_names[i], name) == 0)
			return i;
	return -1;
}
