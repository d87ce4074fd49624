/* SPDX-License-Identifier: MIT */
/*
 * Decode: one netlink datagram in, struct sw_event out.  Pure: no I/O, no
 * allocation, no global state; everything the kernel did not promise is
 * checked before it is read.
 */
#ifndef SW_DECODE_H
#define SW_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "event.h"

/* Why a datagram was not believed. */
enum sw_reject {
	SW_REJ_SENDER,		/* not sent by the kernel (nl_pid != 0) */
	SW_REJ_TRUNC,		/* MSG_TRUNC: larger than the receive buffer */
	SW_REJ_LENGTH,		/* nlmsg_len outside the datagram */
	SW_REJ_TYPE,		/* nlmsg_type other than NLMSG_DONE */
	SW_REJ_ID,		/* connector id other than CN_IDX/VAL_PROC */
	SW_REJ_CNLEN,		/* cn_msg.len outside nlmsg_len, or short */
	SW_REJ_WHAT,		/* unknown proc_event kind */
	SW_REJ__MAX
};

typedef void (*sw_decode_fn)(struct sw_event *ev, void *data);

/*
 * Decodes every message of the datagram buf[0..len) received from netlink
 * port `sender` with recvmsg() flags `msg_flags` into *scratch, and calls
 * fn for each event.  Returns the number of events, or -(enum sw_reject + 1) when the
 * datagram is rejected (then fn is not called at all).
 */
int sw_decode_datagram(const void *buf, size_t len, uint32_t sender,
		       int msg_flags, struct sw_event *scratch, sw_decode_fn fn,
		       void *data);

const char *sw_reject_name(enum sw_reject r);

/* Splits a raw wait status into exit code / signal / core flag. */
void sw_decode_status(uint32_t status, int *ret_code, int *ret_signal,
		      bool *ret_core);

#endif
