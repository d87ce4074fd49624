/* SPDX-License-Identifier: MIT */
/*
 * The event source: a netlink connector socket subscribed to the kernel's
 * process events.  Bytes only; decoding is decode.c's job.
 */
#ifndef SW_NLSRC_H
#define SW_NLSRC_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Where opening or subscribing failed, for main.c's one-line message. */
enum sw_nl_stage {
	SW_NL_NAMESPACE,	/* not in the host's user/pid namespace */
	SW_NL_SOCKET,
	SW_NL_BIND,
	SW_NL_SUBSCRIBE,
	SW_NL_ACK_TIMEOUT,
	SW_NL_ACK_ERROR,
	SW_NL_POLL,		/* waiting for the ack */
	SW_NL_READ,		/* reading while waiting for the ack */
};

struct sw_nlsrc;

/* Checks the namespaces, opens, binds and sizes the socket. */
int sw_nlsrc_open(size_t rcvbuf, struct sw_nlsrc **ret,
		  enum sw_nl_stage *ret_stage);
void sw_nlsrc_free(struct sw_nlsrc *src);

int sw_nlsrc_fd(const struct sw_nlsrc *src);
/* Effective receive buffer in bytes, as the kernel reports it. */
int sw_nlsrc_rcvbuf(const struct sw_nlsrc *src);
/*
 * The receive buffer as set: what was asked (within what the kernel takes)
 * and what it got (half what it reports; -1 when unknown).
 */
void sw_nlsrc_rcvbuf_sizes(const struct sw_nlsrc *src, size_t *ret_asked,
			   long *ret_got);

/*
 * Sends PROC_CN_MCAST_LISTEN; the kernel will answer with ack + 1.  With
 * events (PROC_EVENT_* bits) not 0, asks for those events only: Linux 6.6
 * and later filter per socket; earlier kernels ignore the request and send
 * no ack.
 */
int sw_nlsrc_subscribe(struct sw_nlsrc *src, uint32_t ack, uint32_t events);


/*
 * Receives one datagram without blocking.  Returns its length, -EAGAIN when
 * the socket is empty, -ENOBUFS when the kernel dropped events (the socket
 * stays usable), or another -errno.
 */
ssize_t sw_nlsrc_recv(struct sw_nlsrc *src, void *buf, size_t size,
		      uint32_t *ret_sender, int *ret_flags);

#define SW_NLSRC_BATCH 64		/* datagrams per recvmmsg() */
#define SW_NLSRC_SLOT 512		/* a kernel event takes 76 bytes */

/* Datagrams received in one call, with what decode needs of each. */
struct sw_nlsrc_batch {
	unsigned n;
	uint32_t len[SW_NLSRC_BATCH];
	uint32_t sender[SW_NLSRC_BATCH];
	int flags[SW_NLSRC_BATCH];
	unsigned char buf[SW_NLSRC_BATCH][SW_NLSRC_SLOT];
};

/*
 * Receives up to SW_NLSRC_BATCH datagrams in one system call, without
 * blocking.  Returns how many, or an error as sw_nlsrc_recv().
 */
int sw_nlsrc_recv_batch(struct sw_nlsrc *src, struct sw_nlsrc_batch *b);

/* The socket's Drops counter from /proc/net/netlink. */
int sw_nlsrc_drops(struct sw_nlsrc *src, uint64_t *ret);

/* 0 when this process is in the initial user and pid namespaces. */
int sw_nlsrc_check_namespace(void);

#endif
