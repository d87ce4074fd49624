/* SPDX-License-Identifier: MIT */
/*
 * Frame validation and decoding of proc connector datagrams.
 *
 * The kernel sends each proc event as NLMSG_DONE, which libmnl's
 * mnl_cb_run() takes for "end of dump" without calling the data callback,
 * so every message goes through mnl_cb_run2() with a control callback for
 * NLMSG_DONE.  A datagram is validated whole before any event of it is
 * handed on: a forged or damaged frame produces nothing but a reject count.
 */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/connector.h>
#include <linux/netlink.h>
#include <sys/socket.h>

#include <linux/cn_proc.h>
#include "decode.h"

struct decode_ctx {
	struct sw_event *ev;
	sw_decode_fn fn;
	void *data;
	int n;
	enum sw_reject reject;
	bool validate_only;
};

static const char *const reject_names[SW_REJ__MAX] = {
	[SW_REJ_SENDER] = "sender",
	[SW_REJ_TRUNC] = "truncated",
	[SW_REJ_LENGTH] = "length",
	[SW_REJ_TYPE] = "type",
	[SW_REJ_ID] = "connector-id",
	[SW_REJ_CNLEN] = "cn-length",
	[SW_REJ_WHAT] = "kind",
};

const char *sw_reject_name(enum sw_reject r)
{
	return (unsigned)r < SW_REJ__MAX ? reject_names[r] : "unknown";
}

void sw_decode_status(uint32_t status, int *ret_code, int *ret_signal,
		      bool *ret_core)
{
	if ((status & 0x7f) == 0) {
		*ret_code = (int)((status >> 8) & 0xff);
		*ret_signal = 0;
	} else {
		*ret_code = -1;
		*ret_signal = (int)(status & 0x7f);
	}
	*ret_core = (status & 0x80) != 0;
}

#define EV_HDR_LEN offsetof(struct proc_event, event_data)
#define EV_MEMBER_LEN(m) (EV_HDR_LEN + sizeof(((struct proc_event *)0)->event_data.m))

/* Maps the kernel's `what` to our type and the bytes that kind needs. */
static int kind_of(uint32_t what, enum sw_ev_type *ret_type, size_t *ret_len)
{
	static const struct {
		uint32_t what;
		enum sw_ev_type type;
		size_t len;
	} kinds[] = {
		{ PROC_EVENT_NONE, SW_EV_ACK, EV_MEMBER_LEN(ack) },
		{ PROC_EVENT_FORK, SW_EV_FORK, EV_MEMBER_LEN(fork) },
		{ PROC_EVENT_EXEC, SW_EV_EXEC, EV_MEMBER_LEN(exec) },
		{ PROC_EVENT_UID, SW_EV_UID, EV_MEMBER_LEN(id) },
		{ PROC_EVENT_GID, SW_EV_GID, EV_MEMBER_LEN(id) },
		{ PROC_EVENT_SID, SW_EV_SID, EV_MEMBER_LEN(sid) },
		{ PROC_EVENT_PTRACE, SW_EV_PTRACE, EV_MEMBER_LEN(ptrace) },
		{ PROC_EVENT_COMM, SW_EV_COMM, EV_MEMBER_LEN(comm) },
		{ PROC_EVENT_COREDUMP, SW_EV_COREDUMP, EV_MEMBER_LEN(coredump) },
		{ PROC_EVENT_EXIT, SW_EV_EXIT, EV_MEMBER_LEN(exit) },
	};

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		if (kinds[i].what == what) {
			*ret_type = kinds[i].type;
			*ret_len = kinds[i].len;
			return 0;
		}
	}
	return -1;
}

static void fill_fork(struct sw_event *ev, const struct proc_event *pe)
{
	ev->pid = pe->event_data.fork.child_tgid;
	ev->tid = pe->event_data.fork.child_pid;
	ev->thread = ev->pid != ev->tid;
	/* For a thread the kernel names the process's parent here. */
	ev->u.fork.parent_pid = pe->event_data.fork.parent_tgid;
	ev->u.fork.parent_tid = pe->event_data.fork.parent_pid;
}

static void fill_exit(struct sw_event *ev, const struct proc_event *pe)
{
	ev->pid = pe->event_data.exit.process_tgid;
	ev->tid = pe->event_data.exit.process_pid;
	ev->thread = ev->pid != ev->tid;
	ev->u.exit.status = pe->event_data.exit.exit_code;
	ev->u.exit.kernel_ppid = pe->event_data.exit.parent_tgid;
	sw_decode_status(ev->u.exit.status, &ev->u.exit.exit_code,
			 &ev->u.exit.signal, &ev->u.exit.core);
}

static void fill_event(struct sw_event *ev, const struct cn_msg *cn,
		       const struct proc_event *pe, enum sw_ev_type type)
{
	sw_event_reset(ev, type);
	ev->cpu = pe->cpu;
	ev->seq = cn->seq;
	ev->ktime_ns = pe->timestamp_ns;

	switch (type) {
	case SW_EV_FORK:
		fill_fork(ev, pe);
		return;
	case SW_EV_EXIT:
		fill_exit(ev, pe);
		return;
	case SW_EV_ACK:
		ev->u.ack.ack = cn->ack;
		ev->u.ack.err = pe->event_data.ack.err;
		return;
	case SW_EV_UID:
	case SW_EV_GID:
		ev->u.id.r = pe->event_data.id.r.ruid;
		ev->u.id.e = pe->event_data.id.e.euid;
		break;
	case SW_EV_PTRACE:
		ev->u.ptrace.tracer_pid = pe->event_data.ptrace.tracer_tgid;
		ev->u.ptrace.tracer_tid = pe->event_data.ptrace.tracer_pid;
		break;
	case SW_EV_COMM:
		memcpy(ev->u.comm.comm, pe->event_data.comm.comm, SW_COMM_LEN);
		ev->u.comm.comm[SW_COMM_LEN] = '\0';
		break;
	case SW_EV_COREDUMP:
		ev->u.coredump.parent_pid = pe->event_data.coredump.parent_tgid;
		break;
	default:
		break;
	}
	/* exec, id, sid, ptrace, comm, coredump share the first two fields. */
	ev->pid = pe->event_data.exec.process_tgid;
	ev->tid = pe->event_data.exec.process_pid;
	ev->thread = false;
}

static int reject(struct decode_ctx *ctx, enum sw_reject r)
{
	ctx->reject = r;
	return MNL_CB_ERROR;
}

static int on_done(const struct nlmsghdr *nlh, void *data)
{
	struct decode_ctx *ctx = data;
	size_t payload = mnl_nlmsg_get_payload_len(nlh);
	struct cn_msg cn;
	struct proc_event pe;
	enum sw_ev_type type;
	size_t need;

	if (payload < sizeof(cn))
		return reject(ctx, SW_REJ_CNLEN);
	memcpy(&cn, mnl_nlmsg_get_payload(nlh), sizeof(cn));
	if (cn.id.idx != CN_IDX_PROC || cn.id.val != CN_VAL_PROC)
		return reject(ctx, SW_REJ_ID);
	if (cn.len > payload - sizeof(cn) || cn.len < EV_HDR_LEN)
		return reject(ctx, SW_REJ_CNLEN);

	/* The event sits at a misaligned offset: copy, never cast. */
	memset(&pe, 0, sizeof(pe));
	memcpy(&pe, (const char *)mnl_nlmsg_get_payload(nlh) + sizeof(cn),
	       cn.len < sizeof(pe) ? cn.len : sizeof(pe));
	if (kind_of(pe.what, &type, &need) < 0)
		return reject(ctx, SW_REJ_WHAT);
	if (cn.len < need)
		return reject(ctx, SW_REJ_CNLEN);

	ctx->n++;
	if (!ctx->validate_only) {
		fill_event(ctx->ev, &cn, &pe, type);
		ctx->fn(ctx->ev, ctx->data);
	}
	return MNL_CB_OK;
}

static int on_other(const struct nlmsghdr *nlh, void *data)
{
	return reject(data, SW_REJ_TYPE);
}

/* Every byte of the datagram must belong to a well-formed message. */
static bool lengths_ok(const void *buf, size_t len)
{
	const struct nlmsghdr *nlh = buf;
	int rest = (int)len;

	if (len == 0 || len > (1u << 20))
		return false;
	while (mnl_nlmsg_ok(nlh, rest)) {
		/* mnl_nlmsg_ok() casts nlmsg_len to int: >= 2^31 passes. */
		if (nlh->nlmsg_len > (uint32_t)rest)
			return false;
		nlh = mnl_nlmsg_next(nlh, &rest);
	}
	return rest == 0;
}

static int run(const void *buf, size_t len, struct decode_ctx *ctx)
{
	/* libmnl skips control types whose slot is NULL: fill them all. */
	mnl_cb_t ctl[NLMSG_MIN_TYPE];

	for (int i = 0; i < NLMSG_MIN_TYPE; i++)
		ctl[i] = on_other;
	ctl[NLMSG_DONE] = on_done;
	ctx->n = 0;
	ctx->reject = SW_REJ_TYPE;
	if (mnl_cb_run2(buf, len, 0, 0, on_other, ctx, ctl, NLMSG_MIN_TYPE) < 0)
		return -((int)ctx->reject + 1);
	return ctx->n;
}

int sw_decode_datagram(const void *buf, size_t len, uint32_t sender,
		       int msg_flags, struct sw_event *scratch, sw_decode_fn fn,
		       void *data)
{
	struct decode_ctx ctx = { .ev = scratch, .fn = fn, .data = data };
	int r;

	if (sender != 0)
		return -(SW_REJ_SENDER + 1);
	if (msg_flags & MSG_TRUNC)
		return -(SW_REJ_TRUNC + 1);
	if (!lengths_ok(buf, len))
		return -(SW_REJ_LENGTH + 1);

	ctx.validate_only = true;
	r = run(buf, len, &ctx);
	if (r <= 0)
		return r;
	ctx.validate_only = false;
	return run(buf, len, &ctx);
}
