/* SPDX-License-Identifier: MIT */
/*
 * /proc reads with a deadline.  Reading a process's command line reads its
 * memory, and that can block for as long as whoever backs the memory
 * wants: argument pages mapped from a FUSE file whose server never
 * answers.  So a snapshot is read on a reader thread and the caller waits
 * at most timeout_ms for it.  A reader that misses the deadline is left
 * behind (a thread blocked in read(2) cannot be cancelled safely), a new
 * one takes its place, and while it stays blocked the process it reads is
 * not read again: what /proc has that does not touch the process's memory
 * (exe, cwd, comm, credentials, cgroup) is read on the caller's thread, the
 * command line is reported unread (SW_UNREAD_TIMEOUT).  At most
 * SW_READER_STUCK_MAX readers are left behind at once; beyond that, no
 * command line is read until one of them returns.
 */
#ifndef SW_READER_H
#define SW_READER_H

#include <stdbool.h>
#include <stdint.h>

#include "procfs.h"

#define SW_READER_TIMEOUT_MS 200	/* the deadline of one snapshot */
#define SW_READER_STUCK_MAX 16		/* readers left blocked, at most */

struct sw_reader;

struct sw_reader_counters {
	uint64_t timeouts;	/* snapshots that missed the deadline */
	uint64_t skipped;	/* command lines not read: the process, or
				 * every reader, was stuck */
	unsigned stuck;		/* readers blocked now */
};

/*
 * A reader of /proc under procfd (duplicated: the caller may close its
 * own).  timeout_ms 0: reads on the caller's thread, without a deadline
 * (replay, the unit tests).  NULL when out of memory or threads.
 */
struct sw_reader *sw_reader_new(int procfd, unsigned timeout_ms);
/* Stops the idle reader; those left blocked end when their read does. */
void sw_reader_free(struct sw_reader *r);

/*
 * A snapshot of pid as sw_procfs_snap() (full) or sw_procfs_snap_hostside()
 * (not full; host namespaces 0 if unknown) reads it, with a deadline.
 * Returns 0 and points *ret at the snapshot, valid until the next call;
 * (*ret)->timedout holds the fields not read in time.  -errno when the
 * process could not be opened at all.
 */
int sw_reader_snap(struct sw_reader *r, int pid, bool full, uint64_t host_mntns,
		   uint64_t host_pidns, struct sw_proc_snap **ret);

/*
 * Inline mode (on: true): snapshots are read on the caller's thread, with
 * no thread switch, while another thread watches it with
 * sw_reader_depose().  Off, or where no spare buffer can be had, they go
 * by a reader thread.
 */
void sw_reader_inline(struct sw_reader *r, bool on);
/*
 * For the watcher, every tick: true when the caller has been in the same
 * inline read since the last tick (*seen: what this call saw, for the
 * next).  The caller is then deposed: when its read returns at last, its
 * thread ends there; the process is not read again while it stays
 * blocked; and the thread that got true carries on in the caller's place
 * (the snapshot it was reading is reported as SW_UNREAD_TIMEOUT when
 * asked again).
 */
bool sw_reader_depose(struct sw_reader *r, uint64_t *seen);

/*
 * Lets the idle reader thread go; the next read starts a new one, with the
 * caller's credentials then (a thread keeps its capabilities: one started
 * before --run-as dropped them has none left).
 */
void sw_reader_refresh(struct sw_reader *r);

void sw_reader_counters(const struct sw_reader *r, struct sw_reader_counters *ret);
/* The procfd the reader reads under (its own copy). */
int sw_reader_procfd(const struct sw_reader *r);

#endif
