/* SPDX-License-Identifier: MIT */
/*
 * storm: a process-event load generator for benchmarking spawnwatch.
 *
 *   storm MODE [-n N] [-c CONCURRENCY] [-m MARK] [-i INTERVAL_MS]
 *
 * MODE is one of
 *   threads  N pthread_create + pthread_join in total
 *   fork     N fork + _exit(0) children, each reaped at once
 *   exec     N fork + execve("/bin/true", {"true", "MARK/exec"})
 *   zombies  N children that exit at once and stay unreaped for a moment
 *            (batches of up to ZOMBIE_BATCH, reaped ZOMBIE_PAUSE_NS later)
 *   orphans  N grandchildren whose parent exits before them; the worker is
 *            a child subreaper, so it reaps the orphans itself
 *   trickle  N children one at a time: fork + execve of the marked
 *            /bin/true, wait for it, then sleep INTERVAL_MS (default 20)
 *            before the next; a light load for measuring latency
 *   hold     N children that all stay alive at once: each blocks on a pipe
 *            until all N exist; storm then says so on stderr ("storm: hold:
 *            N children alive, pid P"), waits until a line or end of file
 *            comes on its stdin (or INTERVAL_MS have passed, with -i), then
 *            releases them and reaps them
 *
 * The work is spread over CONCURRENCY worker processes forked by storm (so
 * every event of a run happens in storm's descendants, and storm's argv,
 * which carries -m MARK, is what fork events of its children show).  Exec'd
 * children carry MARK in their argv ("MARK/exec") so a monitor's output can
 * be counted with grep.
 *
 * On success prints one JSON line on stdout:
 *   {"mode":..., "n":..., "concurrency":..., "seconds":..., "rate":...,
 *    "forks":..., "execs":..., "threads":..., "held":..., "interval_ms":...,
 *    "pid":..., "mark":...}
 * forks counts every fork storm and its workers made (workers included),
 * held the children alive at once (hold; 0 otherwise), rate is N per
 * second (for hold and trickle it includes the waiting).  Exit status: 0
 * done, 1 a syscall or a child failed, 2 usage error.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_CONCURRENCY 256
#define MAX_N 100000000UL
#define MAX_MARK 200
#define ZOMBIE_BATCH 64
#define ZOMBIE_PAUSE_NS 1000000L	/* 1 ms */
#define DEFAULT_N 10000UL
#define DEFAULT_MARK "spawnwatch-storm"
#define DEFAULT_INTERVAL_MS 20UL
#define MAX_INTERVAL_MS 3600000UL
#define TRUE_PATH "/bin/true"

extern char **environ;

enum mode { M_THREADS, M_FORK, M_EXEC, M_ZOMBIES, M_ORPHANS, M_TRICKLE, M_HOLD };

static const char *const mode_names[] = {
	[M_THREADS] = "threads",
	[M_FORK] = "fork",
	[M_EXEC] = "exec",
	[M_ZOMBIES] = "zombies",
	[M_ORPHANS] = "orphans",
	[M_TRICKLE] = "trickle",
	[M_HOLD] = "hold",
};

static const char usage_text[] =
	"Usage: storm MODE [-n N] [-c CONCURRENCY] [-m MARK] [-i INTERVAL_MS]\n"
	"MODE:\n"
	"  threads   N threads created and joined\n"
	"  fork      N children that exit at once\n"
	"  exec      N children that exec /bin/true MARK/exec\n"
	"  zombies   N children left unreaped for a moment, in batches\n"
	"  orphans   N grandchildren orphaned before they exit\n"
	"  trickle   N children exec'ing /bin/true MARK/exec one at a time\n"
	"            (per worker), INTERVAL_MS apart (default 20)\n"
	"  hold      N children alive at once; once all exist storm says so on\n"
	"            stderr and keeps them until a line or EOF on stdin (or,\n"
	"            with -i, INTERVAL_MS have passed), then reaps them\n"
	"  -n N            units of work in total (default 10000)\n"
	"  -c CONCURRENCY  worker processes (default 2, at most 256)\n"
	"  -m MARK         tag put in exec'd children's argv as MARK/exec\n"
	"                  (letters, digits, '.', '_', '-'; default " DEFAULT_MARK ")\n"
	"  -i INTERVAL_MS  trickle: pause between children; hold: longest hold\n";

static char exec_name[] = "true";
static char exec_arg[MAX_MARK + 8];	/* "MARK/exec" */
static unsigned long interval_ms = DEFAULT_INTERVAL_MS;
/* hold: a worker's children block reading release_fd (EOF lets them go);
 * the worker writes one byte to ready_fd once all of its children exist. */
static int release_fd = -1;
static int ready_fd = -1;

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* Reports a failed call (errno) and exits; used in workers and children. */
static void die(const char *fmt, ...)
{
	int e = errno;
	va_list ap;

	fputs("storm: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (e)
		fprintf(stderr, ": %s", strerror(e));
	fputc('\n', stderr);
	_exit(1);
}

static int usage(const char *msg)
{
	if (msg)
		fprintf(stderr, "storm: %s\n", msg);
	fputs(usage_text, stderr);
	return 2;
}

static double now_s(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) < 0)
		die("clock_gettime");
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int parse_ulong(const char *s, unsigned long min, unsigned long max,
		       unsigned long *ret)
{
	char *end;
	unsigned long v;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -1;
	*ret = v;
	return 0;
}

static int valid_mark(const char *m)
{
	size_t len = strlen(m);

	if (len == 0 || len > MAX_MARK)
		return 0;
	for (; *m; m++) {
		char c = *m;

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
			return 0;
	}
	return 1;
}

/* Waits for one specific child and insists that it exited with 0. */
static void reap(pid_t pid)
{
	int status;
	pid_t r;

	do
		r = waitpid(pid, &status, 0);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		die("waitpid %d", (int)pid);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		errno = 0;
		die("child %d failed (status 0x%x)", (int)pid, (unsigned)status);
	}
}

/* Waits for any child; the orphans come back to us as the subreaper. */
static void reap_any(void)
{
	int status;
	pid_t r;

	do
		r = waitpid(-1, &status, 0);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		die("waitpid");
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		errno = 0;
		die("child %d failed (status 0x%x)", (int)r, (unsigned)status);
	}
}

/* Sleeps MS milliseconds, the whole of them. */
static void pause_ms(unsigned long ms)
{
	struct timespec ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0) {
		if (errno != EINTR)
			die("nanosleep");
	}
}

static void *thread_fn(void *arg)
{
	return arg;
}

static void work_threads(unsigned long n)
{
	for (unsigned long i = 0; i < n; i++) {
		pthread_t t;
		void *ret;
		int e = pthread_create(&t, NULL, thread_fn, NULL);

		if (e) {
			errno = e;
			die("pthread_create");
		}
		e = pthread_join(t, &ret);
		if (e) {
			errno = e;
			die("pthread_join");
		}
	}
}

static void work_fork(unsigned long n)
{
	for (unsigned long i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid < 0)
			die("fork");
		if (pid == 0)
			_exit(0);
		reap(pid);
	}
}

/* Forks a child that execs the marked /bin/true; returns its pid. */
static pid_t spawn_true(void)
{
	char *const args[] = { exec_name, exec_arg, NULL };
	pid_t pid = fork();

	if (pid < 0)
		die("fork");
	if (pid == 0) {
		execve(TRUE_PATH, args, environ);
		die("execve %s", TRUE_PATH);	/* _exit(1): reap() fails */
	}
	return pid;
}

static void work_exec(unsigned long n)
{
	for (unsigned long i = 0; i < n; i++)
		reap(spawn_true());
}

static void work_trickle(unsigned long n)
{
	for (unsigned long i = 0; i < n; i++) {
		reap(spawn_true());
		if (i + 1 < n)
			pause_ms(interval_ms);
	}
}

static void held_child(void) __attribute__((noreturn));

/* A hold child: stays until the release pipe's write end is closed. */
static void held_child(void)
{
	char c;
	ssize_t r;

	if (close(ready_fd) < 0)
		die("close");
	do
		r = read(release_fd, &c, 1);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		die("read");
	_exit(0);
}

static void work_hold(unsigned long n)
{
	pid_t *pids = calloc(n, sizeof(*pids));
	const char c = 'r';
	ssize_t w;

	if (!pids)
		die("calloc");
	for (unsigned long i = 0; i < n; i++) {
		pids[i] = fork();
		if (pids[i] < 0)
			die("fork");	/* the children go when storm closes the pipe */
		if (pids[i] == 0)
			held_child();
	}
	do
		w = write(ready_fd, &c, 1);
	while (w < 0 && errno == EINTR);
	if (w != 1)
		die("write");
	if (close(ready_fd) < 0)
		die("close");
	for (unsigned long i = 0; i < n; i++)
		reap(pids[i]);
	free(pids);
}

/* hold, in storm itself: waits until every worker has all its children,
 * says so, waits for stdin (or -i), then lets the children go.  Returns
 * the children held, 0 when a worker failed before that. */
static unsigned long hold_children(unsigned long n, unsigned long conc, int timed,
				   int release_w, int ready_r)
{
	unsigned long ready = 0;
	struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };
	char buf[256];
	int r;

	while (ready < conc) {
		ssize_t got = read(ready_r, buf, sizeof(buf));

		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;	/* EOF: a worker died before its byte */
		ready += (unsigned long)got;
	}
	if (ready >= conc) {
		fprintf(stderr, "storm: hold: %lu children alive, pid %d\n", n, (int)getpid());
		do
			r = poll(&pfd, 1, timed ? (int)interval_ms : -1);
		while (r < 0 && errno == EINTR);
		if (r < 0)
			die("poll");
	}
	if (close(release_w) < 0 || close(ready_r) < 0)
		die("close");
	return ready >= conc ? n : 0;
}

static void work_zombies(unsigned long n)
{
	pid_t pids[ZOMBIE_BATCH];
	const struct timespec pause = { 0, ZOMBIE_PAUSE_NS };

	while (n > 0) {
		unsigned k = n < ZOMBIE_BATCH ? (unsigned)n : ZOMBIE_BATCH;

		for (unsigned i = 0; i < k; i++) {
			pids[i] = fork();
			if (pids[i] < 0)
				die("fork");
			if (pids[i] == 0)
				_exit(0);
		}
		/* Zombies now (or in a moment): leave them so for a while. */
		while (nanosleep(&pause, NULL) < 0) {
			if (errno != EINTR)
				die("nanosleep");
		}
		for (unsigned i = 0; i < k; i++)
			reap(pids[i]);
		n -= k;
	}
}

static void orphan(int rfd, pid_t parent) __attribute__((noreturn));

/* The grandchild: waits until its parent has exited, then exits itself. */
static void orphan(int rfd, pid_t parent)
{
	const struct timespec tick = { 0, 20000L };	/* 20 us */
	char c;
	ssize_t r;

	do
		r = read(rfd, &c, 1);	/* EOF: the parent closed its end */
	while (r < 0 && errno == EINTR);
	if (r < 0)
		die("read");
	/* Closing files comes before reparenting in the kernel's exit. */
	while (getppid() == parent) {
		if (nanosleep(&tick, NULL) < 0 && errno != EINTR)
			die("nanosleep");
	}
	_exit(0);
}

static void work_orphans(unsigned long n)
{
	if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0)
		die("prctl PR_SET_CHILD_SUBREAPER");
	for (unsigned long i = 0; i < n; i++) {
		pid_t mid = fork();

		if (mid < 0)
			die("fork");
		if (mid == 0) {
			pid_t me = getpid();
			int fds[2];
			pid_t gc;

			if (pipe(fds) < 0)
				die("pipe");
			gc = fork();
			if (gc < 0)
				die("fork");
			if (gc == 0) {
				if (close(fds[1]) < 0)
					die("close");
				orphan(fds[0], me);
			}
			_exit(0);	/* closes fds[1]: the grandchild goes on */
		}
		reap(mid);
		reap_any();	/* the orphan, reparented to us */
	}
}

static void work(enum mode m, unsigned long n)
{
	switch (m) {
	case M_THREADS: work_threads(n); break;
	case M_FORK: work_fork(n); break;
	case M_EXEC: work_exec(n); break;
	case M_ZOMBIES: work_zombies(n); break;
	case M_ORPHANS: work_orphans(n); break;
	case M_TRICKLE: work_trickle(n); break;
	case M_HOLD: work_hold(n); break;
	}
}

int main(int argc, char **argv)
{
	unsigned long n = DEFAULT_N, conc = 2, forks = 0, execs = 0, threads = 0;
	unsigned long held = 0;
	const char *mark = DEFAULT_MARK;
	pid_t workers[MAX_CONCURRENCY];
	int release[2] = { -1, -1 }, ready[2] = { -1, -1 };
	double t0, secs;
	int m = -1, c, failed = 0, timed = 0;

	if (argc < 2)
		return usage(NULL);
	for (size_t i = 0; i < sizeof(mode_names) / sizeof(mode_names[0]); i++)
		if (strcmp(argv[1], mode_names[i]) == 0)
			m = (int)i;
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		fputs(usage_text, stdout);
		return 0;
	}
	if (m < 0)
		return usage("unknown mode");
	optind = 2;
	while ((c = getopt(argc, argv, "n:c:m:i:")) != -1) {
		switch (c) {
		case 'n':
			if (parse_ulong(optarg, 1, MAX_N, &n) < 0)
				return usage("invalid -n");
			break;
		case 'c':
			if (parse_ulong(optarg, 1, MAX_CONCURRENCY, &conc) < 0)
				return usage("invalid -c");
			break;
		case 'm':
			if (!valid_mark(optarg))
				return usage("invalid -m");
			mark = optarg;
			break;
		case 'i':
			if (parse_ulong(optarg, 0, MAX_INTERVAL_MS, &interval_ms) < 0)
				return usage("invalid -i");
			timed = 1;
			break;
		default:
			return usage(NULL);
		}
	}
	if (optind < argc)
		return usage("unexpected argument");
	if (conc > n)
		conc = n;
	snprintf(exec_arg, sizeof(exec_arg), "%s/exec", mark);
	if ((m == M_EXEC || m == M_TRICKLE) && access(TRUE_PATH, X_OK) < 0)
		die("%s", TRUE_PATH);
	if (m == M_HOLD && (pipe(release) < 0 || pipe(ready) < 0))
		die("pipe");
	/* Nothing buffered may be duplicated into the workers. */
	if (fflush(NULL) == EOF)
		die("fflush");

	t0 = now_s();
	for (unsigned long w = 0; w < conc; w++) {
		unsigned long share = n / conc + (w < n % conc ? 1 : 0);
		pid_t pid = fork();

		if (pid < 0) {
			int e = errno;

			/* Reap the workers already started, then fail. */
			if (release[1] >= 0)
				close(release[1]);	/* lets hold's children go */
			for (unsigned long j = 0; j < w; j++)
				while (waitpid(workers[j], NULL, 0) < 0 && errno == EINTR)
					;
			errno = e;
			die("fork");
		}
		if (pid == 0) {
			if (m == M_HOLD) {
				if (close(release[1]) < 0 || close(ready[0]) < 0)
					die("close");
				release_fd = release[0];
				ready_fd = ready[1];
			}
			work((enum mode)m, share);
			_exit(0);
		}
		workers[w] = pid;
	}
	if (m == M_HOLD) {
		if (close(release[0]) < 0 || close(ready[1]) < 0)
			die("close");
		held = hold_children(n, conc, timed, release[1], ready[0]);
	}
	for (unsigned long w = 0; w < conc; w++) {
		int status;
		pid_t r;

		do
			r = waitpid(workers[w], &status, 0);
		while (r < 0 && errno == EINTR);
		if (r < 0)
			die("waitpid %d", (int)workers[w]);
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			fprintf(stderr, "storm: worker %d failed (status 0x%x)\n",
				(int)workers[w], (unsigned)status);
			failed = 1;
		}
	}
	secs = now_s() - t0;
	if (failed)
		return 1;

	forks = conc;
	switch ((enum mode)m) {
	case M_THREADS: threads = n; break;
	case M_FORK: forks += n; break;
	case M_EXEC: forks += n; execs = n; break;
	case M_ZOMBIES: forks += n; break;
	case M_ORPHANS: forks += 2 * n; break;
	case M_TRICKLE: forks += n; execs = n; break;
	case M_HOLD: forks += n; break;
	}
	printf("{\"mode\":\"%s\",\"n\":%lu,\"concurrency\":%lu,\"seconds\":%.6f,"
	       "\"rate\":%.1f,\"forks\":%lu,\"execs\":%lu,\"threads\":%lu,"
	       "\"held\":%lu,\"interval_ms\":%lu,\"pid\":%d,\"mark\":\"%s\"}\n",
	       mode_names[m], n, conc, secs, secs > 0 ? (double)n / secs : 0.0,
	       forks, execs, threads, held, interval_ms, (int)getpid(), mark);
	if (fflush(stdout) == EOF || ferror(stdout)) {
		perror("storm: stdout");
		return 1;
	}
	return 0;
}
