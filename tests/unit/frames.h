/* SPDX-License-Identifier: MIT */
/*
 * Builders of proc connector datagrams as the kernel sends them (RELIABILITY
 * item 1): nlmsghdr (NLMSG_DONE) + cn_msg (CN_IDX_PROC/CN_VAL_PROC) +
 * struct proc_event, the event at the misaligned offset 36.  Every field is
 * written with memcpy, so the frames can be damaged at will afterwards.
 */
#ifndef SW_TEST_FRAMES_H
#define SW_TEST_FRAMES_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <linux/connector.h>
#include <linux/netlink.h>

#include <linux/cn_proc.h>

#define FRAME_MAX 2048
#define FRAME_CPU 1
#define FRAME_TS 123456789012ull

/* Offsets inside one message. */
#define FRAME_CN_OFF NLMSG_HDRLEN			/* 16 */
#define FRAME_EV_OFF (NLMSG_HDRLEN + sizeof(struct cn_msg))	/* 36 */

struct frame {
	unsigned char buf[FRAME_MAX] __attribute__((aligned(8)));
	size_t len;
};

static inline void frame_init(struct frame *f)
{
	memset(f, 0, sizeof(*f));
}

/*
 * Appends one message carrying the first ev_len bytes of pe (usually a
 * struct proc_event, possibly longer or cut short), with
 * connector sequence seq and ack; returns the message's offset.
 */
static inline size_t frame_add_ack(struct frame *f, const void *pe,
				   size_t ev_len, uint32_t seq, uint32_t ack)
{
	size_t off = f->len;
	struct nlmsghdr nlh = {
		.nlmsg_len = (uint32_t)NLMSG_LENGTH(sizeof(struct cn_msg) + ev_len),
		.nlmsg_type = NLMSG_DONE,
		.nlmsg_seq = seq,
	};
	struct cn_msg cn = {
		.id = { .idx = CN_IDX_PROC, .val = CN_VAL_PROC },
		.seq = seq,
		.ack = ack,
		.len = (uint16_t)ev_len,
	};

	memcpy(f->buf + off, &nlh, sizeof(nlh));
	memcpy(f->buf + off + FRAME_CN_OFF, &cn, sizeof(cn));
	memcpy(f->buf + off + FRAME_EV_OFF, pe, ev_len);
	f->len = off + NLMSG_ALIGN(nlh.nlmsg_len);
	return off;
}

static inline size_t frame_add(struct frame *f, const struct proc_event *pe,
			       uint32_t seq)
{
	return frame_add_ack(f, pe, sizeof(*pe), seq, 0);
}

/* Field accessors for damaging a built message at offset off. */
static inline void frame_set_u32(struct frame *f, size_t at, uint32_t v)
{
	memcpy(f->buf + at, &v, sizeof(v));
}

static inline void frame_set_u16(struct frame *f, size_t at, uint16_t v)
{
	memcpy(f->buf + at, &v, sizeof(v));
}

static inline void frame_set_nlmsg_len(struct frame *f, size_t off, uint32_t v)
{
	frame_set_u32(f, off + offsetof(struct nlmsghdr, nlmsg_len), v);
}

static inline void frame_set_nlmsg_type(struct frame *f, size_t off, uint16_t v)
{
	frame_set_u16(f, off + offsetof(struct nlmsghdr, nlmsg_type), v);
}

static inline void frame_set_nlmsg_flags(struct frame *f, size_t off, uint16_t v)
{
	frame_set_u16(f, off + offsetof(struct nlmsghdr, nlmsg_flags), v);
}

static inline void frame_set_cn_id(struct frame *f, size_t off, uint32_t idx,
				   uint32_t val)
{
	frame_set_u32(f, off + FRAME_CN_OFF + offsetof(struct cn_msg, id.idx), idx);
	frame_set_u32(f, off + FRAME_CN_OFF + offsetof(struct cn_msg, id.val), val);
}

static inline void frame_set_cn_len(struct frame *f, size_t off, uint16_t v)
{
	frame_set_u16(f, off + FRAME_CN_OFF + offsetof(struct cn_msg, len), v);
}

/* struct proc_event of each kind, zero-filled, on CPU FRAME_CPU. */
static inline struct proc_event pe_base(uint32_t what)
{
	struct proc_event pe;

	memset(&pe, 0, sizeof(pe));
	pe.what = what;
	pe.cpu = FRAME_CPU;
	pe.timestamp_ns = FRAME_TS;
	return pe;
}

static inline struct proc_event pe_ack(uint32_t err)
{
	struct proc_event pe = pe_base(PROC_EVENT_NONE);

	pe.cpu = UINT32_MAX;	/* the kernel's ack names no CPU */
	pe.event_data.ack.err = err;
	return pe;
}

/* parent_pid/child_pid are thread ids, parent_tgid/child_tgid processes. */
static inline struct proc_event pe_fork(int parent_pid, int parent_tgid,
					int child_pid, int child_tgid)
{
	struct proc_event pe = pe_base(PROC_EVENT_FORK);

	pe.event_data.fork.parent_pid = parent_pid;
	pe.event_data.fork.parent_tgid = parent_tgid;
	pe.event_data.fork.child_pid = child_pid;
	pe.event_data.fork.child_tgid = child_tgid;
	return pe;
}

static inline struct proc_event pe_exec(int pid, int tgid)
{
	struct proc_event pe = pe_base(PROC_EVENT_EXEC);

	pe.event_data.exec.process_pid = pid;
	pe.event_data.exec.process_tgid = tgid;
	return pe;
}

static inline struct proc_event pe_exit(int pid, int tgid, uint32_t code,
					uint32_t exit_signal, int parent_pid,
					int parent_tgid)
{
	struct proc_event pe = pe_base(PROC_EVENT_EXIT);

	pe.event_data.exit.process_pid = pid;
	pe.event_data.exit.process_tgid = tgid;
	pe.event_data.exit.exit_code = code;
	pe.event_data.exit.exit_signal = exit_signal;
	pe.event_data.exit.parent_pid = parent_pid;
	pe.event_data.exit.parent_tgid = parent_tgid;
	return pe;
}

/* what is PROC_EVENT_UID or PROC_EVENT_GID. */
static inline struct proc_event pe_id(uint32_t what, int pid, int tgid,
				      uint32_t r, uint32_t e)
{
	struct proc_event pe = pe_base(what);

	pe.event_data.id.process_pid = pid;
	pe.event_data.id.process_tgid = tgid;
	pe.event_data.id.r.ruid = r;
	pe.event_data.id.e.euid = e;
	return pe;
}

static inline struct proc_event pe_sid(int pid, int tgid)
{
	struct proc_event pe = pe_base(PROC_EVENT_SID);

	pe.event_data.sid.process_pid = pid;
	pe.event_data.sid.process_tgid = tgid;
	return pe;
}

/* tracer 0/0 is a detach. */
static inline struct proc_event pe_ptrace(int pid, int tgid, int tracer_pid,
					  int tracer_tgid)
{
	struct proc_event pe = pe_base(PROC_EVENT_PTRACE);

	pe.event_data.ptrace.process_pid = pid;
	pe.event_data.ptrace.process_tgid = tgid;
	pe.event_data.ptrace.tracer_pid = tracer_pid;
	pe.event_data.ptrace.tracer_tgid = tracer_tgid;
	return pe;
}

/* Copies 16 bytes of comm, NUL or not, as the kernel does. */
static inline struct proc_event pe_comm(int pid, int tgid, const char comm[16])
{
	struct proc_event pe = pe_base(PROC_EVENT_COMM);

	pe.event_data.comm.process_pid = pid;
	pe.event_data.comm.process_tgid = tgid;
	memcpy(pe.event_data.comm.comm, comm, sizeof(pe.event_data.comm.comm));
	return pe;
}

static inline struct proc_event pe_coredump(int pid, int tgid, int parent_pid,
					    int parent_tgid)
{
	struct proc_event pe = pe_base(PROC_EVENT_COREDUMP);

	pe.event_data.coredump.process_pid = pid;
	pe.event_data.coredump.process_tgid = tgid;
	pe.event_data.coredump.parent_pid = parent_pid;
	pe.event_data.coredump.parent_tgid = parent_tgid;
	return pe;
}

/* Bytes of struct proc_event up to the end of one event_data member. */
#define PE_LEN(member) \
	(offsetof(struct proc_event, event_data) + \
	 sizeof(((struct proc_event *)0)->event_data.member))

#endif
