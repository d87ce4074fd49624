/* SPDX-License-Identifier: MIT */
/* sw_decode_datagram: every kind, every reason to reject a frame. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "decode.h"
#include "frames.h"

#define MAX_SEEN 4

struct seen {
	int n;
	struct sw_event ev[MAX_SEEN];
};

static void on_event(struct sw_event *ev, void *data)
{
	struct seen *s = data;

	if (s->n < MAX_SEEN)
		s->ev[s->n] = *ev;
	s->n++;
}

static struct sw_event scratch;

/* Decodes f as the kernel's datagram; returns the result, fills *s. */
static int decode_as(const struct frame *f, size_t len, uint32_t sender,
		     int flags, struct seen *s)
{
	memset(s, 0, sizeof(*s));
	memset(&scratch, 0xa5, sizeof(scratch));
	return sw_decode_datagram(f->buf, len, sender, flags, &scratch, on_event,
				  s);
}

static int decode(const struct frame *f, struct seen *s)
{
	return decode_as(f, f->len, 0, 0, s);
}

/* Decodes a single-event datagram and checks it gave exactly one event. */
static const struct sw_event *decode_one(const struct proc_event *pe,
					 struct seen *s)
{
	struct frame f;

	frame_init(&f);
	frame_add(&f, pe, 77);
	assert_int_equal(decode(&f, s), 1);
	assert_int_equal(s->n, 1);
	assert_int_equal(s->ev[0].seq, 77);
	assert_int_equal(s->ev[0].ktime_ns, FRAME_TS);
	return &s->ev[0];
}

static void assert_rejected(const struct frame *f, size_t len, uint32_t sender,
			    int flags, enum sw_reject why)
{
	struct seen s;

	assert_int_equal(decode_as(f, len, sender, flags, &s), -((int)why + 1));
	assert_int_equal(s.n, 0);
}

static void assert_rejected_frame(const struct frame *f, enum sw_reject why)
{
	assert_rejected(f, f->len, 0, 0, why);
}

static void test_fork(void **state)
{
	struct proc_event pe = pe_fork(100, 100, 200, 200);
	struct seen s;
	const struct sw_event *ev = decode_one(&pe, &s);

	assert_int_equal(ev->type, SW_EV_FORK);
	assert_int_equal(ev->cpu, FRAME_CPU);
	assert_int_equal(ev->pid, 200);
	assert_int_equal(ev->tid, 200);
	assert_false(ev->thread);
	assert_int_equal(ev->u.fork.parent_pid, 100);
	assert_int_equal(ev->u.fork.parent_tid, 100);

	/* Thread 201 of process 200: the parent fields name the process's
	 * parent (thread 150 of process 100), not the creating thread. */
	pe = pe_fork(150, 100, 201, 200);
	ev = decode_one(&pe, &s);
	assert_int_equal(ev->type, SW_EV_FORK);
	assert_true(ev->thread);
	assert_int_equal(ev->pid, 200);
	assert_int_equal(ev->tid, 201);
	assert_int_equal(ev->u.fork.parent_pid, 100);
	assert_int_equal(ev->u.fork.parent_tid, 150);
}

static void test_exec(void **state)
{
	struct proc_event pe = pe_exec(300, 300);
	struct seen s;
	const struct sw_event *ev = decode_one(&pe, &s);

	assert_int_equal(ev->type, SW_EV_EXEC);
	assert_int_equal(ev->pid, 300);
	assert_int_equal(ev->tid, 300);
	assert_false(ev->thread);
	/* The kernel's layout: the event at offset 36 of 76 bytes. */
	assert_int_equal(FRAME_EV_OFF, 36);
	assert_int_equal(sizeof(struct proc_event), 40);
	assert_int_equal(NLMSG_LENGTH(sizeof(struct cn_msg) + 40), 76);
}

/* One process exit with raw status `status` as the kernel reports it. */
static void check_exit(uint32_t status, int code, int sig, bool core)
{
	struct proc_event pe = pe_exit(300, 300, status, 17, 99, 100);
	struct seen s;
	const struct sw_event *ev = decode_one(&pe, &s);

	assert_int_equal(ev->type, SW_EV_EXIT);
	assert_int_equal(ev->pid, 300);
	assert_int_equal(ev->tid, 300);
	assert_false(ev->thread);
	assert_int_equal(ev->u.exit.status, status);
	assert_int_equal(ev->u.exit.exit_code, code);
	assert_int_equal(ev->u.exit.signal, sig);
	assert_int_equal(ev->u.exit.core, core);
	assert_int_equal(ev->u.exit.kernel_ppid, 100);
}

static void test_exit(void **state)
{
	check_exit(3 << 8, 3, 0, false);
	check_exit(9, -1, 9, false);		/* SIGKILL */
	check_exit(0x80 | 11, -1, 11, true);	/* SIGSEGV, core dumped */
}

static void test_exit_thread(void **state)
{
	/* A thread exit: exit_signal -1, parent 0 (RELIABILITY item 13). */
	struct proc_event pe = pe_exit(301, 300, 0, UINT32_MAX, 0, 0);
	struct seen s;
	const struct sw_event *ev = decode_one(&pe, &s);

	assert_int_equal(ev->type, SW_EV_EXIT);
	assert_true(ev->thread);
	assert_int_equal(ev->pid, 300);
	assert_int_equal(ev->tid, 301);
	assert_int_equal(ev->u.exit.exit_code, 0);
	assert_int_equal(ev->u.exit.kernel_ppid, 0);
}

static void test_uid_gid(void **state)
{
	struct proc_event pe = pe_id(PROC_EVENT_UID, 400, 400, 1000, 0);
	struct seen s;
	const struct sw_event *ev = decode_one(&pe, &s);

	assert_int_equal(ev->type, SW_EV_UID);
	assert_int_equal(ev->pid, 400);
	assert_int_equal(ev->u.id.r, 1000);
	assert_int_equal(ev->u.id.e, 0);
	assert_false(ev->u.id.have_prev);

	pe = pe_id(PROC_EVENT_GID, 401, 400, 50, UINT32_MAX - 1);
	ev = decode_one(&pe, &s);
	assert_int_equal(ev->type, SW_EV_GID);
	assert_int_equal(ev->pid, 400);
	assert_int_equal(ev->tid, 401);
	assert_int_equal(ev->u.id.r, 50);
	assert_int_equal(ev->u.id.e, UINT32_MAX - 1);
}

static void test_ptrace(void **state)
{
	struct proc_event pe = pe_ptrace(600, 600, 701, 700);
	struct seen s;
	const struct sw_event *ev = decode_one(&pe, &s);

	assert_int_equal(ev->type, SW_EV_PTRACE);
	assert_int_equal(ev->pid, 600);
	assert_int_equal(ev->u.ptrace.tracer_pid, 700);
	assert_int_equal(ev->u.ptrace.tracer_tid, 701);
	assert_null(ev->u.ptrace.tracer_comm);

	pe = pe_ptrace(600, 600, 0, 0);
	ev = decode_one(&pe, &s);
	assert_int_equal(ev->type, SW_EV_PTRACE);
	assert_int_equal(ev->u.ptrace.tracer_pid, 0);
	assert_int_equal(ev->u.ptrace.tracer_tid, 0);
}

static void test_comm(void **state)
{
	const char full[16] = { 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h',
				'i', 'j', 'k', 'l', 'm', 'n', 'o', 'p' };
	const char nl[16] = "x\ny\xff";
	struct proc_event pe = pe_comm(800, 800, full);
	struct seen s;
	const struct sw_event *ev = decode_one(&pe, &s);

	assert_int_equal(ev->type, SW_EV_COMM);
	assert_int_equal(ev->pid, 800);
	assert_int_equal(strlen(ev->u.comm.comm), 16);
	assert_memory_equal(ev->u.comm.comm, full, 16);
	assert_false(ev->u.comm.have_prev);

	pe = pe_comm(801, 800, nl);
	ev = decode_one(&pe, &s);
	assert_int_equal(ev->tid, 801);
	assert_string_equal(ev->u.comm.comm, "x\ny\xff");
}

static void test_sid_coredump(void **state)
{
	struct proc_event pe = pe_sid(500, 500);
	struct seen s;
	const struct sw_event *ev = decode_one(&pe, &s);

	assert_int_equal(ev->type, SW_EV_SID);
	assert_int_equal(ev->pid, 500);
	assert_int_equal(ev->tid, 500);

	pe = pe_coredump(901, 900, 10, 11);
	ev = decode_one(&pe, &s);
	assert_int_equal(ev->type, SW_EV_COREDUMP);
	assert_int_equal(ev->pid, 900);
	assert_int_equal(ev->tid, 901);
	assert_int_equal(ev->u.coredump.parent_pid, 11);
}

static void test_ack(void **state)
{
	struct proc_event pe = pe_ack(0);
	struct frame f;
	struct seen s;

	frame_init(&f);
	frame_add_ack(&f, &pe, sizeof(pe), 5, 0x1235);
	assert_int_equal(decode(&f, &s), 1);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.ev[0].type, SW_EV_ACK);
	assert_int_equal(s.ev[0].u.ack.ack, 0x1235);
	assert_int_equal(s.ev[0].u.ack.err, 0);
	assert_int_equal(s.ev[0].cpu, UINT32_MAX);

	/* The kernel's ack may be just the 4-byte err. */
	pe = pe_ack(22);
	frame_init(&f);
	frame_add_ack(&f, &pe, PE_LEN(ack), 5, 8);
	assert_int_equal(decode(&f, &s), 1);
	assert_int_equal(s.ev[0].type, SW_EV_ACK);
	assert_int_equal(s.ev[0].u.ack.ack, 8);
	assert_int_equal(s.ev[0].u.ack.err, 22);
}

/* Stale fields of the reused scratch event never leak into a new event. */
static void test_scratch_reset(void **state)
{
	struct proc_event pe = pe_exec(300, 300);
	struct seen s;
	const struct sw_event *ev = decode_one(&pe, &s);

	assert_int_equal(ev->have, 0);
	assert_null(ev->comm);
	assert_null(ev->exe);
	assert_null(ev->argv);
	assert_null(ev->user);
	assert_int_equal(ev->argv_len, 0);
	assert_int_equal(ev->n_ancestry, 0);
	assert_int_equal(ev->n_tags, 0);
	assert_null(ev->start);
	assert_null(ev->stats);
}

/* Kernel events may grow: extra bytes after the known fields are fine. */
static void test_longer_event(void **state)
{
	unsigned char big[sizeof(struct proc_event) + 8] = { 0 };
	struct proc_event pe = pe_exec(42, 42);
	struct frame f;
	struct seen s;

	memcpy(big, &pe, sizeof(pe));
	frame_init(&f);
	frame_add_ack(&f, big, sizeof(big), 1, 0);
	assert_int_equal(decode(&f, &s), 1);
	assert_int_equal(s.ev[0].pid, 42);

	/* And the minimal length of a kind is enough. */
	frame_init(&f);
	frame_add_ack(&f, &pe, PE_LEN(exec), 1, 0);
	assert_int_equal(decode(&f, &s), 1);
	assert_int_equal(s.ev[0].type, SW_EV_EXEC);
}

static void test_two_messages(void **state)
{
	struct proc_event a = pe_fork(1, 1, 10, 10), b = pe_exec(10, 10);
	struct frame f;
	struct seen s;

	frame_init(&f);
	frame_add(&f, &a, 1);
	frame_add(&f, &b, 2);
	assert_int_equal(decode(&f, &s), 2);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.ev[0].type, SW_EV_FORK);
	assert_int_equal(s.ev[0].seq, 1);
	assert_int_equal(s.ev[1].type, SW_EV_EXEC);
	assert_int_equal(s.ev[1].seq, 2);
	assert_int_equal(s.ev[1].pid, 10);
}

static void test_second_message_bad(void **state)
{
	struct proc_event a = pe_exec(10, 10), b = pe_exec(11, 11);
	struct frame f;
	size_t off;

	frame_init(&f);
	frame_add(&f, &a, 1);
	off = frame_add(&f, &b, 2);
	frame_set_cn_id(&f, off, CN_IDX_PROC, 2);
	assert_rejected_frame(&f, SW_REJ_ID);

	frame_init(&f);
	frame_add(&f, &a, 1);
	b.what = 0x400;
	frame_add(&f, &b, 2);
	assert_rejected_frame(&f, SW_REJ_WHAT);

	frame_init(&f);
	frame_add(&f, &a, 1);
	off = frame_add(&f, &a, 2);
	frame_set_nlmsg_type(&f, off, NLMSG_ERROR);
	assert_rejected_frame(&f, SW_REJ_TYPE);
}

static void build_exec(struct frame *f)
{
	struct proc_event pe = pe_exec(10, 10);

	frame_init(f);
	frame_add(f, &pe, 1);
}

static void test_reject_sender_trunc(void **state)
{
	struct frame f;
	struct seen s;

	build_exec(&f);
	assert_rejected(&f, f.len, 4242, 0, SW_REJ_SENDER);
	assert_rejected(&f, f.len, UINT32_MAX, 0, SW_REJ_SENDER);
	assert_rejected(&f, f.len, 0, MSG_TRUNC, SW_REJ_TRUNC);
	/* libmnl refuses an interrupted dump; any reason will do. */
	frame_set_nlmsg_flags(&f, 0, NLM_F_DUMP_INTR);
	assert_true(decode(&f, &s) < 0);
	assert_int_equal(s.n, 0);
}

static void test_reject_length(void **state)
{
	unsigned char junk[20];
	struct frame f;

	build_exec(&f);
	frame_set_nlmsg_len(&f, 0, (uint32_t)f.len + 4);
	assert_rejected_frame(&f, SW_REJ_LENGTH);

	/* libmnl reads nlmsg_len as an int: these are "negative". */
	build_exec(&f);
	frame_set_nlmsg_len(&f, 0, 0x80000000u);
	assert_rejected_frame(&f, SW_REJ_LENGTH);
	frame_set_nlmsg_len(&f, 0, UINT32_MAX);
	assert_rejected_frame(&f, SW_REJ_LENGTH);

	build_exec(&f);
	frame_set_nlmsg_len(&f, 0, 8);		/* shorter than its header */
	assert_rejected_frame(&f, SW_REJ_LENGTH);

	build_exec(&f);
	assert_rejected(&f, f.len - 1, 0, 0, SW_REJ_LENGTH);	/* cut */
	assert_rejected(&f, 10, 0, 0, SW_REJ_LENGTH);
	assert_rejected(&f, 0, 0, 0, SW_REJ_LENGTH);

	/* Trailing bytes after the message, short or header-sized. */
	build_exec(&f);
	assert_rejected(&f, f.len + 4, 0, 0, SW_REJ_LENGTH);
	memset(junk, 0xee, sizeof(junk));
	memcpy(f.buf + f.len, junk, sizeof(junk));
	assert_rejected(&f, f.len + sizeof(junk), 0, 0, SW_REJ_LENGTH);
	memset(f.buf + f.len, 0, sizeof(junk));
	assert_rejected(&f, f.len + sizeof(junk), 0, 0, SW_REJ_LENGTH);
}

/* Only NLMSG_DONE, whether alone or after a good message. */
static void test_reject_type(void **state)
{
	static const uint16_t types[] = {
		NLMSG_NOOP, NLMSG_ERROR, NLMSG_OVERRUN, 0, 5, 15,
		NLMSG_MIN_TYPE, 0x1234, UINT16_MAX,
	};
	struct proc_event pe = pe_exec(10, 10);
	struct frame f;
	size_t off;

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		print_message("nlmsg_type %u\n", types[i]);
		build_exec(&f);
		frame_set_nlmsg_type(&f, 0, types[i]);
		assert_rejected_frame(&f, SW_REJ_TYPE);
		off = frame_add(&f, &pe, 2);
		frame_set_nlmsg_type(&f, 0, NLMSG_DONE);
		frame_set_nlmsg_type(&f, off, types[i]);
		assert_rejected_frame(&f, SW_REJ_TYPE);
	}
}

static void test_reject_id(void **state)
{
	static const uint32_t ids[][2] = {
		{ 2, CN_VAL_PROC }, { CN_IDX_PROC, 0 }, { 0, 0 }, { 1, 2 },
	};
	struct frame f;

	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		build_exec(&f);
		frame_set_cn_id(&f, 0, ids[i][0], ids[i][1]);
		assert_rejected_frame(&f, SW_REJ_ID);
	}
}

static void test_reject_cnlen(void **state)
{
	struct proc_event pe;
	struct frame f;

	/* cn_msg.len past the message. */
	build_exec(&f);
	frame_set_cn_len(&f, 0, sizeof(struct proc_event) + 1);
	assert_rejected_frame(&f, SW_REJ_CNLEN);
	build_exec(&f);
	frame_set_cn_len(&f, 0, UINT16_MAX);
	assert_rejected_frame(&f, SW_REJ_CNLEN);

	/* Shorter than the event header. */
	build_exec(&f);
	frame_set_cn_len(&f, 0, 8);
	assert_rejected_frame(&f, SW_REJ_CNLEN);
	build_exec(&f);
	frame_set_cn_len(&f, 0, 0);
	assert_rejected_frame(&f, SW_REJ_CNLEN);

	/* A message too short to hold even the cn_msg. */
	build_exec(&f);
	frame_set_nlmsg_len(&f, 0, NLMSG_HDRLEN + 12);
	assert_rejected(&f, NLMSG_HDRLEN + 12, 0, 0, SW_REJ_CNLEN);

	/* An exit event cut after the exec fields. */
	pe = pe_exit(300, 300, 0, 17, 1, 1);
	frame_init(&f);
	frame_add_ack(&f, &pe, PE_LEN(exec), 1, 0);
	assert_rejected_frame(&f, SW_REJ_CNLEN);
	frame_init(&f);
	frame_add_ack(&f, &pe, PE_LEN(exit) - 1, 1, 0);
	assert_rejected_frame(&f, SW_REJ_CNLEN);

	/* A fork without the child, a comm without its name. */
	pe = pe_fork(1, 1, 2, 2);
	frame_init(&f);
	frame_add_ack(&f, &pe, PE_LEN(exec), 1, 0);
	assert_rejected_frame(&f, SW_REJ_CNLEN);
	pe = pe_comm(1, 1, "0123456789abcdef");
	frame_init(&f);
	frame_add_ack(&f, &pe, PE_LEN(comm) - 1, 1, 0);
	assert_rejected_frame(&f, SW_REJ_CNLEN);
}

static void test_reject_what(void **state)
{
	static const uint32_t whats[] = {
		0x400, 0x20000000 /* PROC_EVENT_NONZERO_EXIT */, 3, 0xffffffff,
		0x00000008,
	};
	struct proc_event pe;
	struct frame f;

	for (size_t i = 0; i < sizeof(whats) / sizeof(whats[0]); i++) {
		pe = pe_exec(10, 10);
		pe.what = whats[i];
		frame_init(&f);
		frame_add(&f, &pe, 1);
		assert_rejected_frame(&f, SW_REJ_WHAT);
	}
}

static void test_reject_names(void **state)
{
	for (int r = 0; r < SW_REJ__MAX; r++) {
		assert_non_null(sw_reject_name(r));
		assert_string_not_equal(sw_reject_name(r), "unknown");
	}
	assert_string_equal(sw_reject_name(SW_REJ_SENDER), "sender");
	assert_string_equal(sw_reject_name(SW_REJ__MAX), "unknown");
}

static void check_status(uint32_t status, int code, int sig, bool core)
{
	int c = 1234, s = 1234;
	bool k = !core;

	sw_decode_status(status, &c, &s, &k);
	assert_int_equal(c, code);
	assert_int_equal(s, sig);
	assert_int_equal(k, core);
}

static void test_status(void **state)
{
	check_status(0, 0, 0, false);
	check_status(3 << 8, 3, 0, false);
	check_status(9, -1, 9, false);
	check_status(0x80 | 11, -1, 11, true);
	check_status(255 << 8, 255, 0, false);
	check_status(15, -1, 15, false);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fork),
		cmocka_unit_test(test_exec),
		cmocka_unit_test(test_exit),
		cmocka_unit_test(test_exit_thread),
		cmocka_unit_test(test_uid_gid),
		cmocka_unit_test(test_ptrace),
		cmocka_unit_test(test_comm),
		cmocka_unit_test(test_sid_coredump),
		cmocka_unit_test(test_ack),
		cmocka_unit_test(test_scratch_reset),
		cmocka_unit_test(test_longer_event),
		cmocka_unit_test(test_two_messages),
		cmocka_unit_test(test_second_message_bad),
		cmocka_unit_test(test_reject_sender_trunc),
		cmocka_unit_test(test_reject_length),
		cmocka_unit_test(test_reject_type),
		cmocka_unit_test(test_reject_id),
		cmocka_unit_test(test_reject_cnlen),
		cmocka_unit_test(test_reject_what),
		cmocka_unit_test(test_reject_names),
		cmocka_unit_test(test_status),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
