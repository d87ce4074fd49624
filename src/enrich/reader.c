/* SPDX-License-Identifier: MIT */
/*
 * One reader thread does the snapshot while the caller waits on a condition
 * with a deadline.  A reader that misses it is abandoned: it keeps its own
 * snapshot buffer and /proc fd, and when its read returns at last it frees
 * them and ends.  What it shares with the caller (the lock, the count of
 * stuck readers, the list of the processes they are on) lives in a core
 * that the last of them frees.
 */
#include "config.h"

#include <errno.h>
#include <stdatomic.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "reader.h"

#define READER_STACK (256u << 10)

struct worker;

struct core {
	pthread_mutex_t mu;
	pthread_cond_t done;		/* a job finished (CLOCK_MONOTONIC) */
	unsigned refs;			/* the reader's, and each thread's */
	unsigned stuck;
	struct worker *stuck_list;	/* readers left behind, by pid */
	int procfd;
};

struct worker {
	struct core *c;
	pthread_cond_t go;
	bool has_job, finished, abandoned, quit;
	/* The job: as sw_reader_snap() takes it. */
	int pid;
	bool full;
	uint64_t mntns, pidns;
	int result;
	uint64_t start_ticks;		/* of the process it is stuck on */
	struct sw_proc_snap *snap;	/* its own until handed over */
	pthread_t thread;
	int cpu;			/* the one it may run on; -1: any */
	uint64_t inline_seq;		/* a deposed caller's read (no thread) */
	struct worker *next;		/* in stuck_list */
};

struct sw_reader {
	struct core *c;
	struct worker *idle;
	struct sw_proc_snap *cur;	/* what the caller was given */
	unsigned timeout_ms;
	uint64_t timeouts, skipped;
	/* Inline: the caller reads, watched by sw_reader_depose(). */
	bool inline_on;
	_Atomic uint64_t seq;		/* odd while it reads */
	_Atomic int pid;		/* the process it reads */
	struct sw_proc_snap *spare;	/* cur once a caller is deposed */
};

static void core_put(struct core *c)
{
	bool last;

	pthread_mutex_lock(&c->mu);
	last = --c->refs == 0;
	pthread_mutex_unlock(&c->mu);
	if (!last)
		return;
	pthread_cond_destroy(&c->done);
	pthread_mutex_destroy(&c->mu);
	close(c->procfd);
	free(c);
}

static void worker_free(struct worker *w)
{
	pthread_cond_destroy(&w->go);
	sw_procfs_snap_fini(w->snap);
	free(w->snap);
	free(w);
}

static void do_job(struct worker *w)
{
	struct core *c = w->c;

	w->result = sw_procfs_snap_as(c->procfd, w->pid, w->snap, w->full,
				      w->mntns, w->pidns, true);
}

static void stuck_unlink(struct core *c, struct worker *w)
{
	for (struct worker **pp = &c->stuck_list; *pp; pp = &(*pp)->next)
		if (*pp == w) {
			*pp = w->next;
			c->stuck--;
			return;
		}
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	struct core *c = w->c;

	pthread_mutex_lock(&c->mu);
	for (;;) {
		while (!w->has_job && !w->quit)
			pthread_cond_wait(&w->go, &c->mu);
		if (w->quit)
			break;
		pthread_mutex_unlock(&c->mu);
		do_job(w);
		pthread_mutex_lock(&c->mu);
		w->has_job = false;
		w->finished = true;
		if (w->abandoned) {
			stuck_unlink(c, w);	/* its process may be read again */
			break;
		}
		pthread_cond_broadcast(&c->done);
	}
	pthread_mutex_unlock(&c->mu);
	/* The reader gave up on it (abandoned) or let it go (quit): its own now. */
	worker_free(w);
	core_put(c);
	return NULL;
}

/*
 * A reader runs just below the caller, on the caller's CPU (follow()).
 * Below: waking the caller back then preempts the reader on that CPU,
 * where waking a real-time task from one of the same priority would move
 * it to another CPU (tens of microseconds).  Real-time still when the
 * caller is: a reader under SCHED_OTHER is preempted by the very storm it
 * reads, and a short-lived process's command line is gone by its turn.
 * A caller at the lowest real-time priority, or none, has its reader under
 * SCHED_OTHER.
 */
static void reader_policy(pthread_attr_t *at, bool realtime)
{
	struct sched_param sp = { .sched_priority = 0 };
	int policy = SCHED_OTHER;
	struct sched_param me;
	int mine;

	if (realtime && pthread_getschedparam(pthread_self(), &mine, &me) == 0)
		mine &= ~SCHED_RESET_ON_FORK;	/* a flag in the policy */
	else
		mine = SCHED_OTHER;
	if ((mine == SCHED_FIFO || mine == SCHED_RR) && me.sched_priority > 1) {
		policy = mine;
		sp.sched_priority = me.sched_priority - 1;
	}
	pthread_attr_setinheritsched(at, PTHREAD_EXPLICIT_SCHED);
	pthread_attr_setschedpolicy(at, policy);
	pthread_attr_setschedparam(at, &sp);
}

static int spawn(struct worker *w)
{
	pthread_attr_t at;
	pthread_t t;
	int err;

	pthread_attr_init(&at);
	pthread_attr_setstacksize(&at, READER_STACK);	/* joinable: idle_quit() */
	reader_policy(&at, true);
	err = pthread_create(&t, &at, worker_main, w);
	if (err == EPERM) {
		/* Privileges dropped since (--run-as): it runs as it may. */
		reader_policy(&at, false);
		err = pthread_create(&t, &at, worker_main, w);
	}
	pthread_attr_destroy(&at);
	if (!err)
		w->thread = t;
	return err;
}

static struct worker *worker_start(struct core *c)
{
	struct worker *w = calloc(1, sizeof(*w));
	sigset_t all, old;
	int err;

	if (!w || !(w->snap = calloc(1, sizeof(*w->snap)))) {
		free(w);
		return NULL;
	}
	w->c = c;
	w->cpu = -1;
	pthread_cond_init(&w->go, NULL);
	/* Signals stay the main thread's (its signalfd). */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	pthread_mutex_lock(&c->mu);
	c->refs++;
	pthread_mutex_unlock(&c->mu);
	err = spawn(w);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err) {
		core_put(c);
		worker_free(w);
		return NULL;
	}
	return w;
}

struct sw_reader *sw_reader_new(int procfd, unsigned timeout_ms)
{
	struct sw_reader *r = calloc(1, sizeof(*r));
	struct core *c = calloc(1, sizeof(*c));
	pthread_condattr_t ca;

	if (!r || !c || !(r->cur = calloc(1, sizeof(*r->cur))))
		goto fail;
	c->procfd = fcntl(procfd, F_DUPFD_CLOEXEC, 3);
	if (c->procfd < 0)
		goto fail;
	pthread_mutex_init(&c->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&c->done, &ca);
	pthread_condattr_destroy(&ca);
	c->refs = 1;
	r->c = c;
	r->timeout_ms = timeout_ms;
	/* The first reader now: a failure to start one is told at once. */
	if (timeout_ms && !(r->idle = worker_start(c))) {
		sw_reader_free(r);
		return NULL;
	}
	return r;
fail:
	if (r)
		free(r->cur);
	free(r);
	free(c);
	return NULL;
}

/*
 * Lets the idle worker go and waits for it to end, a second at most.  An
 * idle worker has no job: it ends at once, unless it cannot get a CPU.  A
 * thread still alive at exit is what valgrind reaps by spinning on
 * sched_yield(), and a worker one real-time priority below on the same CPU
 * never runs under that spin: joined, the caller sleeps and it runs.
 */
static void idle_quit(struct sw_reader *r)
{
	struct worker *w = r->idle;
	struct timespec ts;
	pthread_t t;

	if (!w)
		return;
	t = w->thread;
	pthread_mutex_lock(&r->c->mu);
	w->quit = true;
	pthread_cond_signal(&w->go);
	pthread_mutex_unlock(&r->c->mu);
	r->idle = NULL;
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += 1;
	if (pthread_timedjoin_np(t, NULL, &ts) != 0)
		pthread_detach(t);
}

void sw_reader_free(struct sw_reader *r)
{
	if (!r)
		return;
	idle_quit(r);
	core_put(r->c);
	sw_procfs_snap_fini(r->cur);
	free(r->cur);
	if (r->spare)
		sw_procfs_snap_fini(r->spare);
	free(r->spare);
	free(r);
}

static void deadline(struct timespec *ts, unsigned ms)
{
	clock_gettime(CLOCK_MONOTONIC, ts);
	ts->tv_sec += ms / 1000;
	ts->tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
}

/* Everything but the command line, on the caller's thread: none of it
 * reads the process's memory. */
static int read_without_argv(struct sw_reader *r, int pid, bool full,
			     uint64_t mntns, uint64_t pidns)
{
	struct sw_proc_snap *s = r->cur;
	int res;

	res = sw_procfs_snap_as(r->c->procfd, pid, s, full, mntns, pidns, false);
	if (res == 0)
		s->timedout = SW_HAVE_ARGV;
	return res;
}

/* Whether a reader is stuck on this very process (same pid, same start). */
static bool on_stuck(struct sw_reader *r, int pid, const struct sw_proc_snap *s)
{
	bool hit = false;

	pthread_mutex_lock(&r->c->mu);
	for (struct worker *w = r->c->stuck_list; w && !hit; w = w->next)
		hit = w->pid == pid && (!w->start_ticks ||
					((s->have & SW_HAVE_START) &&
					 w->start_ticks == s->stat.start_ticks));
	pthread_mutex_unlock(&r->c->mu);
	return hit;
}

static bool pid_stuck(struct sw_reader *r, int pid)
{
	bool hit = false;

	pthread_mutex_lock(&r->c->mu);
	for (struct worker *w = r->c->stuck_list; w && !hit; w = w->next)
		hit = w->pid == pid;
	pthread_mutex_unlock(&r->c->mu);
	return hit;
}

/*
 * The worker missed its deadline: it stays with its process, which is not
 * read again while it does.  Called with the lock held.
 */
static void abandon(struct sw_reader *r, struct worker *w, uint64_t start_ticks)
{
	struct core *c = r->c;

	w->abandoned = true;
	pthread_detach(w->thread);	/* it ends on its own, maybe never */
	w->start_ticks = start_ticks;
	w->next = c->stuck_list;
	c->stuck_list = w;
	c->stuck++;
	r->idle = NULL;
	r->timeouts++;
}

/*
 * The worker runs on the caller's CPU: the caller sleeps while it works,
 * and a wakeup on another CPU costs several times the reads themselves
 * (about 45 us against 7 on this kind of machine).
 */
static void follow(struct worker *w)
{
	int cpu = sched_getcpu();
	cpu_set_t set;

	if (cpu < 0 || cpu == w->cpu)
		return;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (pthread_setaffinity_np(w->thread, sizeof(set), &set) == 0)
		w->cpu = cpu;
}

/*
 * Hands the job to the idle worker and waits; true when it finished.  When
 * not, returns with the lock held: the worker must not end (and free
 * itself) before it is abandoned.
 */
static bool run_job(struct sw_reader *r, struct worker *w)
{
	struct core *c = r->c;
	struct timespec ts;
	int err = 0;

	follow(w);
	deadline(&ts, r->timeout_ms);
	pthread_mutex_lock(&c->mu);
	w->finished = false;
	w->has_job = true;
	pthread_cond_signal(&w->go);
	while (!w->finished && err != ETIMEDOUT)
		err = pthread_cond_timedwait(&c->done, &c->mu, &ts);
	if (!w->finished)
		return false;
	pthread_mutex_unlock(&c->mu);
	return true;
}

static struct worker *get_worker(struct sw_reader *r)
{
	unsigned stuck;

	if (r->idle)
		return r->idle;
	pthread_mutex_lock(&r->c->mu);
	stuck = r->c->stuck;
	pthread_mutex_unlock(&r->c->mu);
	if (stuck >= SW_READER_STUCK_MAX)
		return NULL;
	r->idle = worker_start(r->c);
	return r->idle;
}

static int threaded(struct sw_reader *r, int pid, bool full, uint64_t mntns,
		    uint64_t pidns)
{
	struct worker *w = get_worker(r);
	struct sw_proc_snap *s;
	int res;

	if (!w) {
		r->skipped++;
		return read_without_argv(r, pid, full, mntns, pidns);
	}
	w->pid = pid;
	w->full = full;
	w->mntns = mntns;
	w->pidns = pidns;
	if (run_job(r, w)) {
		/* Its buffer is the caller's now; it takes the old one. */
		s = r->cur;
		r->cur = w->snap;
		w->snap = s;
		r->cur->timedout = 0;
		return w->result;
	}
	/* Still under the lock; these reads do not block for long. */
	res = read_without_argv(r, pid, full, mntns, pidns);
	abandon(r, w, res == 0 && (r->cur->have & SW_HAVE_START)
			      ? r->cur->stat.start_ticks : 0);
	pthread_mutex_unlock(&r->c->mu);
	return res;
}

static unsigned stuck_now(struct sw_reader *r)
{
	unsigned n;

	pthread_mutex_lock(&r->c->mu);
	n = r->c->stuck;
	pthread_mutex_unlock(&r->c->mu);
	return n;
}

/*
 * The caller was deposed while it read (sw_reader_depose()): another
 * thread carries on in its place, with its own snapshot buffer.  This one
 * gives back what it holds (its record, and with it the buffer it read
 * into) and ends, touching nothing else.
 */
static void deposed(struct core *c, uint64_t seq)
{
	struct worker *rec = NULL;

	pthread_mutex_lock(&c->mu);	/* held by the deposer until it is done */
	for (struct worker *x = c->stuck_list; x && !rec; x = x->next)
		if (x->inline_seq == seq)
			rec = x;
	if (rec)
		stuck_unlink(c, rec);	/* its process may be read again */
	pthread_mutex_unlock(&c->mu);
	if (rec)
		worker_free(rec);
	core_put(c);
	syscall(SYS_exit, 0);	/* this thread alone, no unwinding */
}

/*
 * On the caller's thread, the read marked as under way (seq odd); whoever
 * moves seq on first, the caller when its read returns or the deposer,
 * decides whose the rest of the work is.
 */
static int inline_read(struct sw_reader *r, int pid, bool full, uint64_t mntns,
		       uint64_t pidns)
{
	struct sw_proc_snap *mine = r->cur;
	struct core *c = r->c;
	uint64_t s, mark;
	int res;

	if (stuck_now(r) >= SW_READER_STUCK_MAX) {
		r->skipped++;
		return read_without_argv(r, pid, full, mntns, pidns);
	}
	atomic_store_explicit(&r->pid, pid, memory_order_relaxed);
	s = mark = atomic_fetch_add_explicit(&r->seq, 1, memory_order_acq_rel) + 1;
	res = sw_procfs_snap_as(c->procfd, pid, mine, full, mntns, pidns, true);
	if (!atomic_compare_exchange_strong_explicit(&r->seq, &s, mark + 1,
						     memory_order_acq_rel,
						     memory_order_acquire))
		deposed(c, mark);	/* s holds the deposer's value now */
	mine->timedout = 0;
	return res;
}

void sw_reader_refresh(struct sw_reader *r)
{
	idle_quit(r);		/* the next is started when needed */
}

void sw_reader_inline(struct sw_reader *r, bool on)
{
	if (on && r->timeout_ms && !r->spare)
		r->spare = calloc(1, sizeof(*r->spare));
	r->inline_on = on && r->timeout_ms && r->spare;
}

bool sw_reader_depose(struct sw_reader *r, uint64_t *seen)
{
	struct core *c = r->c;
	uint64_t s = atomic_load_explicit(&r->seq, memory_order_acquire);
	bool again = *seen == s;
	struct worker *rec;
	int pid;

	*seen = s;
	if (!(s & 1) || !again || !r->spare || !(rec = calloc(1, sizeof(*rec))))
		return false;
	pthread_mutex_lock(&c->mu);
	if (!atomic_compare_exchange_strong_explicit(&r->seq, &s, s + 1,
						     memory_order_acq_rel,
						     memory_order_acquire)) {
		pthread_mutex_unlock(&c->mu);	/* its read returned meanwhile */
		free(rec);
		return false;
	}
	pthread_cond_init(&rec->go, NULL);
	rec->c = c;
	rec->abandoned = true;
	rec->inline_seq = s;
	rec->pid = pid = atomic_load_explicit(&r->pid, memory_order_relaxed);
	rec->snap = r->cur;		/* the deposed caller reads into it */
	rec->next = c->stuck_list;
	c->stuck_list = rec;
	c->stuck++;
	c->refs++;
	pthread_mutex_unlock(&c->mu);
	r->cur = r->spare;
	r->spare = calloc(1, sizeof(*r->spare));
	if (!r->spare)
		r->inline_on = false;	/* the next one goes by a reader */
	r->timeouts++;
	/* Its start time: a new process on that pid is read again. */
	if (read_without_argv(r, pid, false, 0, 0) == 0 &&
	    (r->cur->have & SW_HAVE_START)) {
		pthread_mutex_lock(&c->mu);
		rec->start_ticks = r->cur->stat.start_ticks;
		pthread_mutex_unlock(&c->mu);
	}
	return true;
}

int sw_reader_snap(struct sw_reader *r, int pid, bool full, uint64_t host_mntns,
		   uint64_t host_pidns, struct sw_proc_snap **ret)
{
	int res;

	*ret = r->cur;
	if (!r->timeout_ms) {
		r->cur->timedout = 0;
		return sw_procfs_snap_as(r->c->procfd, pid, r->cur, full,
					 host_mntns, host_pidns, true);
	}
	if (pid_stuck(r, pid)) {
		res = read_without_argv(r, pid, full, host_mntns, host_pidns);
		if (res < 0 || on_stuck(r, pid, r->cur)) {
			r->skipped += res == 0;
			return res;
		}
		/* Another process on that pid now: read it as any other. */
	}
	res = r->inline_on ? inline_read(r, pid, full, host_mntns, host_pidns)
			   : threaded(r, pid, full, host_mntns, host_pidns);
	*ret = r->cur;
	return res;
}

void sw_reader_counters(const struct sw_reader *r, struct sw_reader_counters *ret)
{
	ret->timeouts = r->timeouts;
	ret->skipped = r->skipped;
	pthread_mutex_lock(&r->c->mu);
	ret->stuck = r->c->stuck;
	pthread_mutex_unlock(&r->c->mu);
}

int sw_reader_procfd(const struct sw_reader *r)
{
	return r->c->procfd;
}
