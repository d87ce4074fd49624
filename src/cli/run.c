/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/pidfd.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "run.h"

static void child(char *const argv[], int nice, int errfd)
{
	sigset_t none;
	int err;

	/* spawnwatch's own boost is not the command's (a real-time policy
	 * is reset at fork; the nice value is not). */
	errno = 0;
	if (getpriority(PRIO_PROCESS, 0) != nice || errno)
		setpriority(PRIO_PROCESS, 0, nice);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGPIPE, SIG_DFL);
	execvp(argv[0], argv);
	err = errno;
	/* The pipe is close-on-exec: reading EOF means exec worked. */
	if (write(errfd, &err, sizeof(err)) < 0)
		_exit(127);
	_exit(127);
}

pid_t sw_run_start(char *const argv[], int nice)
{
	int fds[2], err = 0;
	pid_t pid;
	ssize_t n;

	if (pipe2(fds, O_CLOEXEC) < 0)
		return -errno;
	pid = fork();
	if (pid < 0) {
		err = errno;
		close(fds[0]);
		close(fds[1]);
		return -err;
	}
	if (pid == 0)
		child(argv, nice, fds[1]);
	close(fds[1]);
	do {
		n = read(fds[0], &err, sizeof(err));
	} while (n < 0 && errno == EINTR);
	close(fds[0]);
	if (n == sizeof(err)) {
		waitpid(pid, NULL, 0);
		return -(err ? err : ENOEXEC);
	}
	return pid;
}

/*
 * The guard: a root process that waits on its pipe.  A byte: the command
 * was reaped, nothing to do.  The end of the pipe without one: SIGTERM to
 * the command, through a pidfd where the kernel has them (so a reused
 * pid is never hit: taken while the command is unreaped, as spawnwatch
 * reaps it only later).  It keeps nothing else of spawnwatch's.
 */
static void guard(pid_t pid, int rfd)
{
	int pidfd = pidfd_open(pid, 0);	/* -1 before Linux 5.3 */
	ssize_t n;
	char c;

	prctl(PR_SET_NAME, "sw-guard", 0, 0, 0);
	if (dup2(rfd, 3) < 0 || (pidfd >= 0 && dup2(pidfd, 4) < 0))
		_exit(1);
	close_range(0, 2, 0);
	close_range(pidfd >= 0 ? 5 : 4, ~0u, 0);
	while ((n = read(3, &c, 1)) < 0 && errno == EINTR)
		;
	if (n == 0 && (pidfd < 0 || pidfd_send_signal(4, SIGTERM, NULL, 0) < 0))
		kill(pid, SIGTERM);
	_exit(0);
}

int sw_run_guard(pid_t pid, pid_t *ret_guard)
{
	int fds[2], err;
	pid_t g;

	if (pipe2(fds, O_CLOEXEC) < 0)
		return -errno;
	g = fork();
	if (g == 0)
		guard(pid, fds[0]);
	err = errno;
	close(fds[0]);
	if (g < 0) {
		close(fds[1]);
		return -err;
	}
	*ret_guard = g;
	return fds[1];
}

int sw_run_reap(pid_t pid, int *ret_status)
{
	int st;
	pid_t r = waitpid(pid, &st, WNOHANG);

	if (r < 0)
		return -errno;
	if (r == 0)
		return 0;
	if (WIFEXITED(st))
		*ret_status = WEXITSTATUS(st);
	else if (WIFSIGNALED(st))
		*ret_status = 128 + WTERMSIG(st);
	else
		return 0;
	return 1;
}
