/* SPDX-License-Identifier: MIT */
/*
 * Forces pid reuse deterministically for the live tests.  Child A runs
 * "/bin/sleep 0.2" with argv[0] MARK-a; once A is reaped, child B is made
 * with clone3() and set_tid = A's pid (Linux >= 5.5, CAP_SYS_ADMIN in the
 * pid namespace) and runs "/bin/sleep 0.1" with argv[0] MARK-b.  Prints
 *   {"pid":P,"helper":H,"a_start_ns":N,"b_start_ns":N}
 * with the start times from /proc/P/stat (boot time, clock ticks as ns).
 * Exits 77 when clone3() or set_tid is not available (ENOSYS, EPERM,
 * EINVAL, E2BIG) or the pid stays taken, so the test is skipped.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/sched.h>

#ifndef SYS_clone3
#define SYS_clone3 435
#endif

/* struct clone_args up to cgroup (CLONE_ARGS_SIZE_VER2): older headers
 * lack set_tid, so it is spelled out here. */
struct reuse_clone_args {
	uint64_t flags;
	uint64_t pidfd;
	uint64_t child_tid;
	uint64_t parent_tid;
	uint64_t exit_signal;
	uint64_t stack;
	uint64_t stack_size;
	uint64_t tls;
	uint64_t set_tid;
	uint64_t set_tid_size;
	uint64_t cgroup;
};

static const char *sleep_path(void)
{
	return access("/bin/sleep", X_OK) == 0 ? "/bin/sleep" : "/usr/bin/sleep";
}

/* In the child: run sleep SECONDS with argv[0] MARK-SUFFIX. */
static void run_sleep(const char *mark, const char *suffix, const char *seconds)
{
	size_t n = strlen(mark) + strlen(suffix) + 2;
	char *name = malloc(n);
	char *argv[3];

	if (!name)
		_exit(127);
	snprintf(name, n, "%s-%s", mark, suffix);
	argv[0] = name;
	argv[1] = (char *)seconds;
	argv[2] = NULL;
	execv(sleep_path(), argv);
	_exit(127);
}

/* Start time of the zombie PID (field 22 of /proc/PID/stat) in ns. */
static unsigned long long start_ns(pid_t pid)
{
	char path[64], buf[1024], *p;
	unsigned long long ticks = 0;
	long hz = sysconf(_SC_CLK_TCK);
	FILE *f;
	size_t n;
	int field;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	p = strrchr(buf, ')');	/* comm may hold spaces */
	if (!p || p[1] != ' ' || hz <= 0)
		return 0;
	/* After ") " comes field 3; starttime is field 22. */
	for (p += 2, field = 3; field < 22; field++) {
		p = strchr(p, ' ');
		if (!p)
			return 0;
		p++;
	}
	if (sscanf(p, "%llu", &ticks) != 1)
		return 0;
	return ticks * (1000000000ull / (unsigned long long)hz);
}

/* Waits for PID to end: notes its start time while it is a zombie, then
 * reaps it.  Returns the wait status, or -1. */
static int reap(pid_t pid, unsigned long long *start)
{
	siginfo_t si;
	int status;

	memset(&si, 0, sizeof(si));
	while (waitid(P_PID, (id_t)pid, &si, WEXITED | WNOWAIT) < 0)
		if (errno != EINTR)
			return -1;
	*start = start_ns(pid);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return status;
}

static int check(const char *what, int status)
{
	if (status < 0) {
		perror("reuse: wait");
		return -1;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "reuse: child %s failed (status 0x%x)\n", what,
			(unsigned)status);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct timespec pause = { 0, 10 * 1000 * 1000 };
	unsigned long long a_start, b_start;
	struct reuse_clone_args ca;
	pid_t a, b = -1, want;
	int tries, err;

	if (argc != 2 || !argv[1][0]) {
		fprintf(stderr, "usage: reuse MARK\n");
		return 2;
	}
	fflush(NULL);

	a = fork();
	if (a < 0) {
		perror("reuse: fork");
		return 1;
	}
	if (a == 0)
		run_sleep(argv[1], "a", "0.2");
	if (check("A", reap(a, &a_start)) < 0)
		return 1;

	want = a;
	for (tries = 0; tries < 20; tries++) {
		memset(&ca, 0, sizeof(ca));
		ca.exit_signal = SIGCHLD;
		ca.set_tid = (uint64_t)(uintptr_t)&want;
		ca.set_tid_size = 1;
		b = (pid_t)syscall(SYS_clone3, &ca, sizeof(ca));
		if (b >= 0 || errno != EEXIST)
			break;
		nanosleep(&pause, NULL);	/* someone else holds it: retry */
	}
	if (b < 0) {
		err = errno;
		if (err == ENOSYS || err == EPERM || err == EINVAL ||
		    err == E2BIG || err == EEXIST) {
			fprintf(stderr, "reuse: clone3 with set_tid=%d: %s\n",
				(int)a, strerror(err));
			return 77;
		}
		fprintf(stderr, "reuse: clone3: %s\n", strerror(err));
		return 1;
	}
	if (b == 0)
		run_sleep(argv[1], "b", "0.1");
	if (b != a) {
		fprintf(stderr, "reuse: clone3 gave pid %d, not %d\n", (int)b,
			(int)a);
		return 1;
	}
	if (check("B", reap(b, &b_start)) < 0)
		return 1;
	printf("{\"pid\":%d,\"helper\":%d,\"a_start_ns\":%llu,\"b_start_ns\":%llu}\n",
	       (int)a, (int)getpid(), a_start, b_start);
	return fflush(stdout) == 0 ? 0 : 1;
}
