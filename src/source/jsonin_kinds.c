/* SPDX-License-Identifier: MIT */
/* JSON lines in: the keys of a process and of each kind of event. */
#include "config.h"

#include <arpa/inet.h>

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "jsonin.h"
#include "jsonin_int.h"

/* --- process events ----------------------------------------------------- */

/* A "<field>_truncated": true: the field held less than the process had. */
static int get_cut(struct sw_jsonin_ctx *c, json_t *o, const char *key,
		   unsigned field)
{
	bool cut = false;

	if (sw_jsonin_get_bool(c, o, key, &cut) < 0)
		return -1;
	if (cut)
		c->ev->cut |= field;
	return 0;
}

/* "argv_truncated" and the whole command line's length, "argv_len". */
static int get_argv_cut(struct sw_jsonin_ctx *c, json_t *o)
{
	json_int_t n;
	int r;

	if (get_cut(c, o, "argv_truncated", SW_HAVE_ARGV) < 0)
		return -1;
	if ((r = sw_jsonin_get_int(c, o, "argv_len", 0, UINT32_MAX, &n)) < 0)
		return -1;
	if (r)
		c->ev->argv_size = (size_t)n;
	return 0;
}

/* argv elements back to /proc/PID/cmdline bytes: each followed by a NUL. */
static int get_argv(struct sw_jsonin_ctx *c, json_t *o)
{
	struct sw_buf *b = &c->in->store;
	struct sw_event *ev = c->ev;
	size_t start = b->len, i;
	json_t *a, *v;
	int r;

	if ((r = sw_jsonin_get_typed(c, o, "argv", JSON_ARRAY, "an array", &a)) <= 0)
		return r;
	json_array_foreach(a, i, v) {
		if (!json_is_string(v))
			return sw_jsonin_fail(c, "\"argv\"[%zu] is not a string", i);
		/* sw_jsonin_keep() adds the NUL that separates the elements. */
		if (!sw_jsonin_keep(c, json_string_value(v), json_string_length(v)))
			return sw_jsonin_fail(c, "string storage overflow");
	}
	ev->argv = b->data + start;
	ev->argv_len = b->len - start;
	ev->have |= SW_HAVE_ARGV;
	return get_argv_cut(c, o);
}

static int get_ancestry(struct sw_jsonin_ctx *c, json_t *o)
{
	struct sw_event *ev = c->ev;
	struct sw_ancestor *an;
	json_t *a, *v;
	bool cut;
	size_t i;
	int r;

	if ((r = sw_jsonin_get_typed(c, o, "ancestry", JSON_ARRAY, "an array", &a)) <= 0)
		return r;
	c->where = c->where_buf;
	json_array_foreach(a, i, v) {
		/* As deep as --ancestry goes; the rest could not be emitted. */
		if (i >= SW_ANCESTRY_MAX)
			break;
		an = &ev->ancestry[i];
		snprintf(c->where_buf, sizeof(c->where_buf),
			 "\"ancestry\"[%zu]", i);
		if (!json_is_object(v))
			return sw_jsonin_fail(c, "not an object");
		an->comm = an->exe = NULL;
		cut = false;
		if ((r = sw_jsonin_get_pid(c, v, "pid", &an->pid)) < 0)
			return -1;
		if (!r)
			return sw_jsonin_fail(c, "no \"pid\" key");
		if (sw_jsonin_get_str(c, v, "comm", &an->comm) < 0 ||
		    sw_jsonin_get_str(c, v, "exe", &an->exe) < 0 ||
		    sw_jsonin_get_bool(c, v, "exe_truncated", &cut) < 0)
			return -1;
		if (cut)
			ev->ancestry_exe_cut |= 1ull << i;
		ev->n_ancestry = (unsigned)i + 1;
	}
	c->where = NULL;
	return 0;
}

static int get_container(struct sw_jsonin_ctx *c, json_t *o)
{
	struct sw_event *ev = c->ev;
	json_t *co;
	int r;

	if ((r = sw_jsonin_get_typed(c, o, "container", JSON_OBJECT, "an object",
			   &co)) <= 0)
		return r;
	c->where = "\"container\"";
	if (sw_jsonin_get_str(c, co, "id", &ev->container_id) < 0 ||
	    sw_jsonin_get_str(c, co, "runtime", &ev->container_runtime) < 0)
		return -1;
	c->where = NULL;
	ev->have |= SW_HAVE_CONTAINER;
	return 0;
}

/*
 * The peer of a reverse shell: an address as inet_ntop writes it (one that
 * is not is an error, so that a log cannot make a line say anything else),
 * a port, tcp or udp, a way spawnwatch knows, a holder's pid.
 */
static int get_net(struct sw_jsonin_ctx *c, json_t *o)
{
	struct sw_event *ev = c->ev;
	unsigned char addr[16];
	json_t *no, *v;
	json_int_t port = 0;
	const char *peer, *proto, *via;
	int r, holder = 0, vi;

	if ((r = sw_jsonin_get_typed(c, o, "net", JSON_OBJECT, "an object", &no)) <= 0)
		return r;
	c->where = "\"net\"";
	v = json_object_get(no, "peer");
	if (!v || !json_is_string(v) || !(peer = sw_jsonin_plain_string(v)))
		return sw_jsonin_fail(c, "\"peer\" is not an address");
	if (strlen(peer) >= sizeof(ev->net.peer) ||
	    (inet_pton(AF_INET, peer, addr) != 1 && inet_pton(AF_INET6, peer, addr) != 1))
		return sw_jsonin_fail(c, "\"peer\" is not an address");
	if ((r = sw_jsonin_get_int(c, no, "port", 0, 65535, &port)) < 0)
		return -1;
	if (!r)
		return sw_jsonin_fail(c, "\"port\" is missing");
	v = json_object_get(no, "proto");
	proto = v && json_is_string(v) ? sw_jsonin_plain_string(v) : NULL;
	if (!proto || (strcmp(proto, "tcp") && strcmp(proto, "udp")))
		return sw_jsonin_fail(c, "\"proto\" is not tcp or udp");
	v = json_object_get(no, "via");
	via = v && json_is_string(v) ? sw_jsonin_plain_string(v) : NULL;
	if (!via || (vi = sw_net_via_from_name(via)) < 0)
		return sw_jsonin_fail(c, "\"via\" is not stdio, pipe, pty or socketpair");
	if (sw_jsonin_get_pid(c, no, "holder", &holder) < 0)
		return -1;
	memset(&ev->net, 0, sizeof(ev->net));
	snprintf(ev->net.peer, sizeof(ev->net.peer), "%s", peer);
	ev->net.port = (uint16_t)port;
	ev->net.udp = proto[0] == 'u';
	ev->net.via = (uint8_t)vi;
	ev->net.holder = holder;
	ev->have |= SW_HAVE_NET;
	c->where = NULL;
	return 0;
}

/* Why fields were not read: a reason this version does not know is none. */
static int get_unread(struct sw_jsonin_ctx *c, json_t *o)
{
	struct sw_event *ev = c->ev;
	json_t *u, *v;
	int r;

	if ((r = sw_jsonin_get_typed(c, o, "unread", JSON_OBJECT, "an object",
				     &u)) <= 0)
		return r;
	for (unsigned i = 0; i < SW_UF__MAX; i++) {
		v = json_object_get(u, sw_unread_field_name(i));
		if (!v)
			continue;
		if (!json_is_string(v))
			return sw_jsonin_fail(c, "\"unread\".%s is not a string",
					      sw_unread_field_name(i));
		ev->unread[i] = (uint8_t)sw_unread_from_name(json_string_value(v));
	}
	return 0;
}

static int get_creds(struct sw_jsonin_ctx *c, json_t *o)
{
	static const char *const keys[4] = { "uid", "euid", "gid", "egid" };
	struct sw_event *ev = c->ev;
	int r;

	for (int i = 0; i < 4; i++) {
		r = sw_jsonin_get_int(c, o, keys[i], 0, UINT32_MAX, &c->cred[i]);
		if (r < 0)
			return -1;
		if (r)
			c->have_cred |= 1u << i;
	}
	if (c->have_cred == 0xf) {
		ev->uid = (uint32_t)c->cred[0];
		ev->euid = (uint32_t)c->cred[1];
		ev->gid = (uint32_t)c->cred[2];
		ev->egid = (uint32_t)c->cred[3];
		ev->have |= SW_HAVE_CREDS;
	}
	return sw_jsonin_get_str(c, o, "user", &ev->user) < 0 ? -1 : 0;
}

/* comm: on a comm event the new name, in the event's own array. */
static int get_comm(struct sw_jsonin_ctx *c, json_t *o, const char *key, char *dst,
		    bool *ret_have)
{
	json_t *v = json_object_get(o, key);
	const char *s;
	size_t n;

	if (!v)
		return 0;
	if (!json_is_string(v))
		return sw_jsonin_fail(c, "\"%s\" is not a string", key);
	s = json_string_value(v);
	/* The array holds what a kernel comm can be: a longer name is cut. */
	n = strnlen(s, SW_COMM_LEN);
	memcpy(dst, s, n);
	dst[n] = '\0';
	if (ret_have)
		*ret_have = true;
	return 1;
}

int sw_jsonin_get_process(struct sw_jsonin_ctx *c, json_t *o)
{
	struct sw_event *ev = c->ev;
	int r;

	r = sw_jsonin_get_pid(c, o, "pid", &ev->pid);
	if (r <= 0)
		return r < 0 ? -1 : sw_jsonin_fail(c, "no \"pid\" key");
	ev->tid = ev->pid;
	if (sw_jsonin_get_pid(c, o, "tid", &ev->tid) < 0)
		return -1;
	if ((r = sw_jsonin_get_pid(c, o, "ppid", &ev->ppid)) < 0)
		return -1;
	if (r)
		ev->have |= SW_HAVE_PPID;
	if (ev->type == SW_EV_COMM)
		r = get_comm(c, o, "comm", ev->u.comm.comm, NULL);
	else if ((r = sw_jsonin_get_str(c, o, "comm", &ev->comm)) > 0)
		ev->have |= SW_HAVE_COMM;
	if (r < 0)
		return -1;
	if (ev->type != SW_EV_COMM &&
	    get_cut(c, o, "comm_truncated", SW_HAVE_COMM) < 0)
		return -1;
	if ((r = sw_jsonin_get_str(c, o, "exe", &ev->exe)) < 0)
		return -1;
	if (r)
		ev->have |= SW_HAVE_EXE;
	if ((r = sw_jsonin_get_str(c, o, "cwd", &ev->cwd)) < 0)
		return -1;
	if (r)
		ev->have |= SW_HAVE_CWD;
	if (get_cut(c, o, "exe_truncated", SW_HAVE_EXE) < 0 ||
	    get_cut(c, o, "cwd_truncated", SW_HAVE_CWD) < 0)
		return -1;
	if (get_argv(c, o) < 0 || get_creds(c, o) < 0 ||
	    get_ancestry(c, o) < 0 ||
	    sw_jsonin_get_bool(c, o, "ancestry_truncated", &ev->ancestry_cut) < 0 ||
	    get_container(c, o) < 0 || get_net(c, o) < 0 ||
	    get_unread(c, o) < 0)
		return -1;
	return 0;
}

/* --- keys of one kind --------------------------------------------------- */

/* The name sw_emit_signame() gives, or its "SIG42" form, to a number. */
static int signal_number(const struct sw_jsonin *in, const char *name)
{
	const char *p;
	int sig = 0;

	for (int i = 1; i <= SIG_LAST; i++)
		if (strcmp(in->signame[i], name) == 0)
			return i;
	if (strncmp(name, "SIG", 3) != 0)
		return -1;
	p = name + 3;
	if (*p < '1' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9' && sig <= SIG_LAST; p++)
		sig = sig * 10 + (*p - '0');
	return *p || sig > SIG_LAST ? -1 : sig;
}

static int get_exit(struct sw_jsonin_ctx *c, json_t *o)
{
	struct sw_event *ev = c->ev;
	json_int_t code;
	const char *name;
	json_t *v;
	int r;

	/* One or the other: the exit code, absent when killed. */
	ev->u.exit.exit_code = -1;
	if ((r = sw_jsonin_get_int(c, o, "exit_code", 0, 255, &code)) < 0)
		return -1;
	if (r)
		ev->u.exit.exit_code = (int)code;
	if ((r = sw_jsonin_get_typed(c, o, "signal", JSON_STRING, "a string", &v)) < 0)
		return -1;
	if (r) {
		name = sw_jsonin_plain_string(v);
		ev->u.exit.signal = name ? signal_number(c->in, name) : -1;
		if (ev->u.exit.signal < 0)
			return sw_jsonin_fail(c, "unknown signal \"%.32s\"",
				    json_string_value(v));
		ev->u.exit.exit_code = -1;
	}
	if (sw_jsonin_get_bool(c, o, "core", &ev->u.exit.core) < 0 ||
	    (r = sw_jsonin_get_seconds(c, o, "duration_s", &ev->duration_s)) < 0)
		return -1;
	if (r)
		ev->have |= SW_HAVE_DURATION;
	/* The wait status the kernel gave, as sw_decode_status() reads it. */
	if (ev->u.exit.signal)
		ev->u.exit.status = (uint32_t)ev->u.exit.signal;
	else if (ev->u.exit.exit_code > 0)
		ev->u.exit.status = (uint32_t)ev->u.exit.exit_code << 8;
	if (ev->u.exit.core)
		ev->u.exit.status |= 0x80;
	ev->u.exit.kernel_ppid = ev->ppid;
	return 0;
}

static int get_id(struct sw_jsonin_ctx *c, json_t *o)
{
	const bool uid = c->ev->type == SW_EV_UID;
	struct sw_event *ev = c->ev;
	const unsigned r = uid ? 0 : 2;	/* index in c->cred */
	json_int_t prev_r, prev_e;
	int pr, pe;

	if (c->have_cred & (1u << r))
		ev->u.id.r = (uint32_t)c->cred[r];
	if (c->have_cred & (2u << r))
		ev->u.id.e = (uint32_t)c->cred[r + 1];
	ev->u.id.exe = ev->exe;
	pr = sw_jsonin_get_int(c, o, uid ? "prev_uid" : "prev_gid", 0, UINT32_MAX,
		     &prev_r);
	pe = pr < 0 ? -1 : sw_jsonin_get_int(c, o, uid ? "prev_euid" : "prev_egid", 0,
				   UINT32_MAX, &prev_e);
	if (pe < 0)
		return -1;
	if (pr && pe) {
		ev->u.id.prev_r = (uint32_t)prev_r;
		ev->u.id.prev_e = (uint32_t)prev_e;
		ev->u.id.have_prev = true;
	}
	return 0;
}

static int get_ptrace(struct sw_jsonin_ctx *c, json_t *o)
{
	struct sw_event *ev = c->ev;
	bool attach = true;
	int r;

	if (sw_jsonin_get_pid(c, o, "tracer_pid", &ev->u.ptrace.tracer_pid) < 0 ||
	    sw_jsonin_get_str(c, o, "tracer_comm", &ev->u.ptrace.tracer_comm) < 0 ||
	    sw_jsonin_get_str(c, o, "tracer_exe", &ev->u.ptrace.tracer_exe) < 0 ||
	    (r = sw_jsonin_get_bool(c, o, "attach", &attach)) < 0)
		return -1;
	/* A detach is a ptrace event whose tracer is 0. */
	if (r && !attach) {
		ev->u.ptrace.tracer_pid = 0;
		ev->u.ptrace.tracer_comm = NULL;
		ev->u.ptrace.tracer_exe = NULL;
	}
	ev->u.ptrace.tracer_tid = ev->u.ptrace.tracer_pid;
	return 0;
}

static int get_anomaly(struct sw_jsonin_ctx *c, json_t *o)
{
	struct sw_event *ev = c->ev;
	json_t *d;
	int r;

	if (sw_jsonin_get_str(c, o, "tag", &ev->u.anomaly.tag) < 0)
		return -1;
	if ((r = sw_jsonin_get_typed(c, o, "detail", JSON_OBJECT, "an object", &d)) <= 0)
		return r;
	c->where = "\"detail\"";
	if (sw_jsonin_get_uint(c, d, "count", &ev->u.anomaly.count) < 0 ||
	    sw_jsonin_get_uint(c, d, "threshold", &ev->u.anomaly.threshold) < 0 ||
	    sw_jsonin_get_double(c, d, "window_s", &ev->u.anomaly.window_s) < 0 ||
	    sw_jsonin_get_seconds(c, d, "oldest_s", &ev->u.anomaly.oldest_s) < 0)
		return -1;
	c->where = NULL;
	return 0;
}

static int get_lost(struct sw_jsonin_ctx *c, json_t *o)
{
	struct sw_event *ev = c->ev;
	json_t *v = json_object_get(o, "count");
	json_int_t n;

	/* null: the kernel said ENOBUFS, not how many. */
	ev->u.lost.count = -1;
	if (v && !json_is_null(v)) {
		if (sw_jsonin_get_int(c, o, "count", 0, INT64_MAX, &n) < 0)
			return -1;
		ev->u.lost.count = n;
	}
	return sw_jsonin_get_str(c, o, "reason", &ev->u.lost.reason) < 0 ? -1 : 0;
}

static int get_resync(struct sw_jsonin_ctx *c, json_t *o)
{
	struct sw_event *ev = c->ev;

	if (sw_jsonin_get_uint(c, o, "added", &ev->u.resync.added) < 0 ||
	    sw_jsonin_get_uint(c, o, "removed", &ev->u.resync.removed) < 0 ||
	    sw_jsonin_get_uint(c, o, "reparented", &ev->u.resync.reparented) < 0 ||
	    sw_jsonin_get_uint(c, o, "tracked", &ev->u.resync.tracked) < 0)
		return -1;
	return 0;
}

int sw_jsonin_get_kind(struct sw_jsonin_ctx *c, json_t *o)
{
	struct sw_event *ev = c->ev;
	int sid;

	switch (ev->type) {
	case SW_EV_FORK:
		ev->u.fork.parent_pid = ev->u.fork.parent_tid = ev->ppid;
		return sw_jsonin_get_bool(c, o, "thread", &ev->thread) < 0 ? -1 : 0;
	case SW_EV_EXEC:
		ev->enriched = true;
		return 0;
	case SW_EV_EXIT:
		if (sw_jsonin_get_bool(c, o, "thread", &ev->thread) < 0)
			return -1;
		return get_exit(c, o);
	case SW_EV_UID:
	case SW_EV_GID:
		return get_id(c, o);
	case SW_EV_SID:
		/* The new session is the process's own pid: nothing to keep. */
		return sw_jsonin_get_pid(c, o, "sid", &sid) < 0 ? -1 : 0;
	case SW_EV_PTRACE:
		return get_ptrace(c, o);
	case SW_EV_COMM:
		return get_comm(c, o, "prev_comm", ev->u.comm.prev,
				&ev->u.comm.have_prev) < 0 ? -1 : 0;
	case SW_EV_COREDUMP:
		ev->u.coredump.parent_pid = ev->ppid;
		return 0;
	case SW_EV_REPARENT:
		return sw_jsonin_get_pid(c, o, "prev_ppid", &ev->u.reparent.prev_ppid) < 0
			       ? -1 : 0;
	case SW_EV_ANOMALY:
		return get_anomaly(c, o);
	case SW_EV_LOST:
		return get_lost(c, o);
	case SW_EV_RESYNC:
		return get_resync(c, o);
	default:
		/* start, stop: their payload describes the recording run. */
		return 0;
	}
}
