/* SPDX-License-Identifier: MIT */
/*
 * The process fields of --format ecs, written by the JSON writer: the
 * "process" object, the top-level "user" and "container", and the ancestry
 * and namespaces that go under the custom "spawnwatch" object.  Key for key
 * as the oracle (emit_ecs_ref.c) builds them.
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "emit.h"
#include "emit_ecs.h"
#include "emit_json_int.h"
#include "jsonw.h"

/* The parent: its pid, and its name and exe when the ancestry has them. */
static void put_parent(struct sw_jsonw *w, const struct sw_event *ev)
{
	const struct sw_ancestor *a = &ev->ancestry[0];

	JW_INT(w, ",\"parent\":{\"pid\":", ev->ppid);
	/* At exit ppid is the kernel's, which may not be the first ancestor. */
	if (ev->n_ancestry && a->pid == ev->ppid) {
		JW_HOSTILE(w, ",\"name\":", a->comm);
		JW_HOSTILE(w, ",\"executable\":", a->exe);
	}
	JW_LIT(w, "}");
}

/*
 * process.command_line: the arguments as made valid, joined by spaces.
 * Each is written as a string whose quotes are taken off again: the
 * opening one of all but the first turns into the space between them.
 */
static void put_command_line(struct sw_jsonw *w, const char *argv,
			     size_t len)
{
	size_t i = 0, at;

	JW_LIT(w, ",\"command_line\":");
	if (!len) {
		JW_LIT(w, "\"\"");
		return;
	}
	while (i < len) {
		const char *nul = memchr(argv + i, '\0', len - i);
		size_t n = nul ? (size_t)(nul - (argv + i)) : len - i;

		at = w->b->len;
		sw_jsonw_string(w, argv + i, n, false);
		if (w->err)
			return;
		if (i)
			w->b->data[at] = ' ';
		w->b->len--;
		i += n + 1;
	}
	JW_LIT(w, "\"");
}

static void put_args(struct sw_jsonw *w, const char *argv, size_t len)
{
	long long count;

	JW_LIT(w, ",\"args\":[");
	count = sw_emit_json_argv(w, argv, len);
	JW_LIT(w, "]");
	JW_INT(w, ",\"args_count\":", count);
	put_command_line(w, argv, len);
}

/* {"id":"N"}: user and group ids are keywords in ECS, "0" and not 0. */
static void put_user(struct sw_jsonw *w, const struct sw_event *ev)
{
	JW_INT(w, ",\"user\":{\"id\":\"", (long long)ev->euid);
	JW_LIT(w, "\"");
	JW_HOSTILE(w, ",\"name\":", ev->user);
	JW_LIT(w, "}");
}

/*
 * ECS's user is the effective one, real_user the real one; the top-level
 * user repeats process.user, where ECS rules for processes look for it.
 */
static void put_creds(struct sw_jsonw *w, const struct sw_event *ev)
{
	put_user(w, ev);
	JW_INT(w, ",\"real_user\":{\"id\":\"", (long long)ev->uid);
	JW_INT(w, "\"},\"group\":{\"id\":\"", (long long)ev->egid);
	JW_INT(w, "\"},\"real_group\":{\"id\":\"", (long long)ev->gid);
	JW_LIT(w, "\"}");
}

static void put_ts(struct sw_emit *em, struct sw_jsonw *w, const char *key,
		   size_t klen, uint64_t ktime_ns)
{
	char ts[SW_EMIT_TS_MAX];
	size_t n = sw_emit_ts_cached(em, ktime_ns, ts);

	sw_jsonw_raw(w, key, klen);
	sw_jsonw_string(w, ts, n, true);
}

#define PUT_TS(em, w, k, t) put_ts(em, w, k, sizeof(k) - 1, t)

static void put_exit(struct sw_emit *em, struct sw_jsonw *w,
		     const struct sw_event *ev)
{
	/* A thread's end is not its process's. */
	if (!ev->thread) {
		PUT_TS(em, w, ",\"end\":", ev->ktime_ns);
		/* ECS's uptime is whole seconds; duration_s keeps the rest. */
		if (ev->have & SW_HAVE_DURATION)
			JW_INT(w, ",\"uptime\":",
			       sw_emit_seconds(ev->duration_s, 1000000) / 1000000);
	}
	if (ev->u.exit.signal == 0)
		JW_INT(w, ",\"exit_code\":", ev->u.exit.exit_code);
}

void sw_emit_ecs_process(struct sw_emit *em, struct sw_jsonw *w,
			 const struct sw_event *ev)
{
	JW_INT(w, ",\"process\":{\"pid\":", ev->pid);
	if (ev->tid != ev->pid) {
		JW_INT(w, ",\"thread\":{\"id\":", ev->tid);
		JW_LIT(w, "}");
	}
	if (ev->have & SW_HAVE_PPID)
		put_parent(w, ev);
	if (ev->type == SW_EV_COMM)
		JW_HOSTILE(w, ",\"name\":", ev->u.comm.comm);
	else if (ev->have & SW_HAVE_COMM)
		JW_HOSTILE(w, ",\"name\":", ev->comm);
	if (ev->have & SW_HAVE_EXE)
		JW_HOSTILE(w, ",\"executable\":", ev->exe);
	if (ev->have & SW_HAVE_CWD)
		JW_HOSTILE(w, ",\"working_directory\":", ev->cwd);
	if ((ev->have & SW_HAVE_ARGV) && ev->argv)
		put_args(w, ev->argv, ev->argv_len);
	if (ev->have & SW_HAVE_CREDS)
		put_creds(w, ev);
	/* setsid() makes the caller the leader: the session id is its pid. */
	if (ev->type == SW_EV_SID) {
		JW_INT(w, ",\"session_leader\":{\"pid\":", ev->pid);
		JW_LIT(w, "}");
	}
	if (ev->have & SW_HAVE_START)
		PUT_TS(em, w, ",\"start\":", ev->start_ns);
	if (ev->type == SW_EV_EXIT)
		put_exit(em, w, ev);
	JW_LIT(w, "}");
	if (ev->have & SW_HAVE_CREDS)
		put_user(w, ev);
	if (ev->container_id) {
		JW_HOSTILE(w, ",\"container\":{\"id\":", ev->container_id);
		JW_STRICT(w, ",\"runtime\":", ev->container_runtime);
		JW_LIT(w, "}");
	}
}

/*
 * What ECS has no field for: which of process.name, executable,
 * working_directory and args hold less than the process had.
 */
static void put_cuts(struct sw_jsonw *w, const struct sw_event *ev)
{
	if ((ev->cut & SW_HAVE_COMM) && ev->type != SW_EV_COMM &&
	    (ev->have & SW_HAVE_COMM) && ev->comm)
		JW_LIT(w, ",\"comm_truncated\":true");
	if ((ev->cut & SW_HAVE_EXE) && (ev->have & SW_HAVE_EXE) && ev->exe)
		JW_LIT(w, ",\"exe_truncated\":true");
	if ((ev->cut & SW_HAVE_CWD) && (ev->have & SW_HAVE_CWD) && ev->cwd)
		JW_LIT(w, ",\"cwd_truncated\":true");
	if ((ev->cut & SW_HAVE_ARGV) && (ev->have & SW_HAVE_ARGV) && ev->argv) {
		JW_LIT(w, ",\"argv_truncated\":true");
		JW_INT(w, ",\"argv_len\":", (long long)sw_event_argv_size(ev));
	}
}

void sw_emit_ecs_process_sw(struct sw_jsonw *w, const struct sw_event *ev)
{
	if (ev->n_ancestry)
		sw_emit_json_ancestry(w, ev);
	if (ev->ancestry_cut)
		JW_LIT(w, ",\"ancestry_truncated\":true");
	if (ev->type == SW_EV_EXEC && (ev->have & SW_HAVE_NS)) {
		JW_INT(w, ",\"ns\":{\"mnt\":", (long long)ev->mntns);
		JW_INT(w, ",\"pid\":", (long long)ev->pidns);
		JW_LIT(w, "}");
	}
	if (ev->have & SW_HAVE_NET) {
		const char *via = sw_net_via_name(ev->net.via);

		JW_STRICT(w, ",\"net\":{\"via\":", via ? via : "stdio");
		if (ev->net.holder)
			JW_INT(w, ",\"holder\":", ev->net.holder);
		JW_LIT(w, "}");
	}
	put_cuts(w, ev);
}
