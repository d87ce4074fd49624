/* SPDX-License-Identifier: MIT */
/*
 * storm: a process-event load generator for benchmarking spawnwatch.
 *
 *   storm MODE [-n N] [-c CONCURRENCY] [-m MARK]
 *
 * MODE is one of
 *   threads  N pthread_create + pthread_join in total
 *   fork     N fork + _exit(0) children, each reaped at once
 *   exec     N fork + execve("/bin/true", {"true", "MARK/exec"})
 *   zombies  N children that exit at once and stay unreaped for a moment
 *            (batches of up to ZOMBIE_BATCH, reaped ZOMBIE_PAUSE_NS later)
 *   orphans  N grandchildren whose parent exits before them; the worker is
 *            a child subreaper, so it reaps the orphans itself
 *
 * The work is spread over CONCURRENCY worker processes forked by storm (so
 * every event of a run happens in storm's descendants, and storm's argv,
 * which carries -m MARK, is what fork events of its children show).  Exec'd
 * children carry MARK in their argv ("MARK/exec") so a monitor's output can
 * be counted with grep.
 *
 * On success prints one JSON line on stdout:
 *   {"mode":..., "n":..., "concurrency":..., "seconds":..., "rate":...,
 *    "forks":..., "execs":..., "threads":..., "pid":..., "mark":...}
 * forks counts every fork storm and its workers made (workers included),
 * rate is N per second.  Exit status: 0 done, 1 a syscall or a child
 * failed, 2 usage error.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <errno.h>
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
#define TRUE_PATH "/bin/true"

extern char **environ;

enum mode { M_THREADS, M_FORK, M_EXEC, M_ZOMBIES, M_ORPHANS };

static const char *const mode_names[] = {
	[M_THREADS] = "threads",
	[M_FORK] = "fork",
	[M_EXEC] = "exec",
	[M_ZOMBIES] = "zombies",
	[M_ORPHANS] = "orphans",
};

static const char usage_text[] =
	"Usage: storm MODE [-n N] [-c CONCURRENCY] [-m MARK]\n"
	"MODE: threads, fork, exec, zombies, orphans\n"
	"  -n N            units of work in total (default 10000)\n"
	"  -c CONCURRENCY  worker processes (default 2, at most 256)\n"
	"  -m MARK         tag put in exec'd children's argv as MARK/exec\n"
	"                  (letters, digits, '.', '_', '-'; default " DEFAULT_MARK ")\n";

static char exec_name[] = "true";
static char exec_arg[MAX_MARK + 8];	/* "MARK/exec" */

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

static void work_exec(unsigned long n)
{
	char *const args[] = { exec_name, exec_arg, NULL };

	for (unsigned long i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid < 0)
			die("fork");
		if (pid == 0) {
			execve(TRUE_PATH, args, environ);
			die("execve %s", TRUE_PATH);	/* _exit(1): reap() fails */
		}
		reap(pid);
	}
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
	}
}

int main(int argc, char **argv)
{
	unsigned long n = DEFAULT_N, conc = 2, forks = 0, execs = 0, threads = 0;
	const char *mark = DEFAULT_MARK;
	pid_t workers[MAX_CONCURRENCY];
	double t0, secs;
	int m = -1, c, failed = 0;

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
	while ((c = getopt(argc, argv, "n:c:m:")) != -1) {
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
		default:
			return usage(NULL);
		}
	}
	if (optind < argc)
		return usage("unexpected argument");
	if (conc > n)
		conc = n;
	snprintf(exec_arg, sizeof(exec_arg), "%s/exec", mark);
	if (m == M_EXEC && access(TRUE_PATH, X_OK) < 0)
		die("%s", TRUE_PATH);
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
			for (unsigned long j = 0; j < w; j++)
				while (waitpid(workers[j], NULL, 0) < 0 && errno == EINTR)
					;
			errno = e;
			die("fork");
		}
		if (pid == 0) {
			work((enum mode)m, share);
			_exit(0);
		}
		workers[w] = pid;
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
	}
	printf("{\"mode\":\"%s\",\"n\":%lu,\"concurrency\":%lu,\"seconds\":%.6f,"
	       "\"rate\":%.1f,\"forks\":%lu,\"execs\":%lu,\"threads\":%lu,"
	       "\"pid\":%d,\"mark\":\"%s\"}\n",
	       mode_names[m], n, conc, secs, secs > 0 ? (double)n / secs : 0.0,
	       forks, execs, threads, (int)getpid(), mark);
	if (fflush(stdout) == EOF || ferror(stdout)) {
		perror("storm: stdout");
		return 1;
	}
	return 0;
}
