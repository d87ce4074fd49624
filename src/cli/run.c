/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
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
