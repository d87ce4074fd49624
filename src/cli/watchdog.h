/* SPDX-License-Identifier: MIT */
/*
 * The watch's watchdog: a thread that looks at the event loop every
 * SW_WATCHDOG_TICK_MS.  The loop reads /proc itself (no thread switch per
 * exec); when a read has not returned by the next tick but one, the
 * watchdog deposes the loop's thread (sw_reader_depose()) and becomes the
 * loop: it finishes the batch, starts a new watchdog and goes on; the old
 * thread ends when its read does.
 */
#ifndef SW_WATCHDOG_H
#define SW_WATCHDOG_H

#define SW_WATCHDOG_TICK_MS 100

struct watch;
struct sw_watchdog;

/*
 * Starts a watchdog for w (w->wd), as the caller is scheduled (its
 * real-time policy too); 0, or -errno (w->wd stays NULL).
 */
int sw_watchdog_start(struct watch *w);
/* Stops w->wd and waits for it to end (within a tick). */
void sw_watchdog_stop(struct watch *w);

#endif
