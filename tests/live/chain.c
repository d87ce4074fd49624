/* SPDX-License-Identifier: MIT */
/*
 * Shapes that cost a monitor quadratic work if it walks them naively, made
 * of real processes, each blocked until the test lets go:
 *
 *   chain deep N M	a chain N processes deep (each forked by the one
 *			above, no exec).  Prints "ready PID" (the deepest)
 *			when it stands; on each SIGUSR1 the deepest forks M
 *			children that exit at once, and it prints "done".
 *   chain roots N COPY	N clans: N processes that exec COPY (a copy of this
 *			program under another name: a program of their own),
 *			each forking a child that forks a grandchild and
 *			exits.  2N sleepers.  Prints "ready".
 *
 * Then it waits for its stdin to close, and every process it made exits.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static void hold(int fd)
{
	char c;

	while (read(fd, &c, 1) < 0 && errno == EINTR)
		;
	_exit(0);
}

static void say(int fd, char c)
{
	while (write(fd, &c, 1) < 0 && errno == EINTR)
		;
}

/* Waits for n bytes on fd; 0, or -1 when the writers went away first. */
static int await(int fd, long n)
{
	char buf[4096];

	while (n > 0) {
		ssize_t r = read(fd, buf, sizeof(buf) < (size_t)n ? sizeof(buf) : (size_t)n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		n -= r;
	}
	return 0;
}

/*
 * The chain's processes share their memory (clone with CLONE_VM, each its
 * own stack): a chain of forks 30,000 deep would cost the kernel memory
 * quadratic in its depth (each fork links every ancestor's anon_vma).
 * They are processes all the same: each its own pid, forked by the one
 * above, seen by the proc connector as a fork.
 */
#define STACK (64 * 1024)

static long depth_n, m_n;
static int hold_fd, ready_fd;
static volatile sig_atomic_t go;
static sigset_t usr1_open;		/* SIGUSR1 let in while waiting */

static void on_usr1(int sig)
{
	go = 1;
}

static int quit(void *arg)
{
	_exit(0);
}

static void tell(const char *line)
{
	if (write(ready_fd, line, strlen(line)) < 0)
		_exit(1);
}

static pid_t spawn(int (*fn)(void *), void *arg, int flags)
{
	char *st = mmap(NULL, STACK, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);

	if (st == MAP_FAILED)
		return -1;
	return clone(fn, st + STACK, CLONE_VM | flags | SIGCHLD, arg);
}

static int level(void *arg)
{
	long at = (long)arg;

	if (at < depth_n) {
		if (spawn(level, (void *)(at + 1), 0) < 0)
			_exit(1);
		hold(hold_fd);	/* this level stands */
	}
	char me[32];

	snprintf(me, sizeof(me), "%ld\n", (long)getpid());
	tell(me);
	for (;;) {
		struct pollfd pfd = { .fd = hold_fd, .events = POLLIN };
		int r = ppoll(&pfd, 1, NULL, &usr1_open);

		if (r > 0)
			_exit(0);	/* released */
		if (!go)
			continue;
		go = 0;
		for (long i = 0; i < m_n; i++) {
			pid_t c = spawn(quit, NULL, CLONE_VFORK);

			if (c > 0)
				waitpid(c, NULL, 0);
		}
		tell("done\n");
	}
	return 0;
}

static void deep(long n, long m, int hold_r, int ready_w)
{
	sigset_t block;

	/* SIGUSR1 stays blocked but while the deepest waits for it. */
	signal(SIGUSR1, on_usr1);
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block, &usr1_open);
	sigdelset(&usr1_open, SIGUSR1);
	depth_n = n;
	m_n = m;
	hold_fd = hold_r;
	ready_fd = ready_w;
	level((void *)1L);
}

static void root(int hold_r, int ready_w)
{
	pid_t c = fork();

	if (c == 0) {
		if (fork() == 0) {
			say(ready_w, 'r');
			hold(hold_r);
		}
		_exit(0);	/* the grandchild goes to init */
	}
	if (c > 0)
		waitpid(c, NULL, 0);
	hold(hold_r);
}

static void release(int hold_w)
{
	char c;

	while (read(STDIN_FILENO, &c, 1) > 0)
		;
	close(hold_w);
}

int main(int argc, char **argv)
{
	int hold_p[2], ready_p[2];

	signal(SIGCHLD, SIG_DFL);
	if (argc == 4 && strcmp(argv[1], "root") == 0) {
		root(atoi(argv[2]), atoi(argv[3]));
		return 0;
	}
	if (pipe(hold_p) < 0 || pipe(ready_p) < 0)
		return 1;
	if (argc == 4 && strcmp(argv[1], "deep") == 0) {
		char line[32];
		FILE *f;

		if (fork() == 0) {
			close(hold_p[1]);
			close(ready_p[0]);
			deep(atol(argv[2]), atol(argv[3]), hold_p[0], ready_p[1]);
		}
		close(hold_p[0]);
		close(ready_p[1]);
		f = fdopen(ready_p[0], "r");
		/* The ready line; the done lines go to stdout as they come. */
		if (f && fgets(line, sizeof(line), f)) {
			printf("ready %s", line);
			fflush(stdout);
		}
		if (fork() == 0) {
			close(hold_p[1]);
			while (f && fgets(line, sizeof(line), f)) {
				fputs(line, stdout);
				fflush(stdout);
			}
			_exit(0);
		}
		release(hold_p[1]);
		return 0;
	}
	if (argc == 4 && strcmp(argv[1], "roots") == 0) {
		long n = atol(argv[2]);
		char h[16], r[16];

		snprintf(h, sizeof(h), "%d", hold_p[0]);
		snprintf(r, sizeof(r), "%d", ready_p[1]);
		for (long i = 0; i < n; i++) {
			pid_t c = fork();

			if (c == 0) {
				close(hold_p[1]);
				close(ready_p[0]);
				execl(argv[3], "chain-root", "root", h, r, (char *)NULL);
				_exit(127);
			}
			if (c < 0) {
				perror("chain: fork");
				break;
			}
		}
		close(hold_p[0]);
		close(ready_p[1]);
		if (await(ready_p[0], n) < 0)
			return 1;
		printf("ready\n");
		fflush(stdout);
		release(hold_p[1]);
		for (long i = 0; i < n; i++)
			wait(NULL);
		return 0;
	}
	fprintf(stderr, "usage: chain deep N M | chain roots N COPY\n");
	return 2;
}
