/* SPDX-License-Identifier: MIT */
/*
 * The proc connector subscribed: the main socket, its subscription and
 * the kernel's ack, the exec-only "bell" socket, and the datagrams that
 * arrived before the /proc scan (the stash), handed over once the table
 * is seeded so that nothing between the two is lost.
 */
#ifndef SW_NLSUB_H
#define SW_NLSUB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nlsrc.h"

/* How long the kernel's ack is awaited. */
#define SW_NLSUB_ACK_MS 2000

struct sw_nlsub_conf {
	size_t rcvbuf;			/* the main socket's buffer, bytes */
	/* The main socket overflowed (ENOBUFS) while an ack was awaited. */
	void (*overflow)(void *data);
	void *data;
};

struct sw_nlsub;

/*
 * Opens the main socket, subscribes and waits for the kernel's ack, then
 * opens the bell where the kernel filters per socket (Linux 6.6 and
 * later; best effort).  0, or -errno with *ret_stage saying where it
 * failed (SW_NL_ACK_TIMEOUT: -ETIMEDOUT; SW_NL_ACK_ERROR: the kernel's
 * answer).  On failure *ret is NULL.
 */
int sw_nlsub_open(const struct sw_nlsub_conf *conf, struct sw_nlsub **ret,
		  enum sw_nl_stage *ret_stage);
void sw_nlsub_free(struct sw_nlsub *s);

/* The socket the events are read from. */
struct sw_nlsrc *sw_nlsub_events(const struct sw_nlsub *s);
/* The exec-only socket, only a doorbell (its events come on the main
 * one too); NULL without one. */
struct sw_nlsrc *sw_nlsub_bell(const struct sw_nlsub *s);

typedef void (*sw_nlsub_datagram_fn)(const void *buf, size_t len,
				     uint32_t sender, int flags, void *data);
/* Hands over what arrived while subscribing, in order, then forgets it. */
void sw_nlsub_take_stash(struct sw_nlsub *s, sw_nlsub_datagram_fn fn,
			 void *data);

/* Whether the kernel filters events per socket (Linux 6.6 and later). */
bool sw_nlsub_kernel_filters(void);

#endif
