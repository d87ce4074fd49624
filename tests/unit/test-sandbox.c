/* SPDX-License-Identifier: MIT */
/*
 * The seccomp filter: its list (every name a call of this architecture,
 * none a call spawnwatch makes), and the filter itself, installed in a
 * child and tried there against a process of the test.
 */
#include "config.h"

#include <seccomp.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "sandbox.h"

static bool denied(const char *name)
{
	for (const struct sw_sandbox_deny *d = sw_sandbox_denied; d->name; d++)
		if (strcmp(d->name, name) == 0)
			return true;
	return false;
}

static void test_names_resolve(void **state)
{
	/* Where every one of them exists: a typo would deny nothing. */
	static const char *const everywhere[] = {
		"ptrace", "process_vm_readv", "process_vm_writev", "pidfd_getfd",
		"kcmp", "execve", "execveat", "unshare", "setns", "clone3",
		"bpf", "open_by_handle_at", "init_module", "finit_module", NULL,
	};
	unsigned n = 0;

	for (const char *const *s = everywhere; *s; s++)
		assert_true(denied(*s));
	for (const struct sw_sandbox_deny *d = sw_sandbox_denied; d->name; d++, n++) {
		assert_true(d->err > 0);
		assert_non_null(d->why);
#ifdef __x86_64__
		if (seccomp_syscall_resolve_name(d->name) == __NR_SCMP_ERROR)
			fail_msg("%s is no system call on x86_64", d->name);
#endif
	}
	assert_true(n >= 14);
}

static void test_needed_allowed(void **state)
{
	/* What the watch, its sinks, NSS, the C library's threads and a
	 * /proc reader thread call. */
	static const char *const needed[] = {
		"read", "write", "writev", "openat", "open", "close", "readlinkat",
		"readlink", "getxattr", "getdents64", "newfstatat", "fstat", "statx", "lseek",
		"openat2",
		"pread64", "fcntl", "dup", "dup3", "fchown", "fchmod", "ftruncate",
		"recvmsg", "recvmmsg", "recvfrom", "sendmsg", "sendto", "sendmmsg",
		"socket", "connect", "setsockopt", "getsockopt", "getsockname",
		"poll", "ppoll", "epoll_wait", "futex", "clone", "mmap", "munmap",
		"mprotect", "madvise", "brk", "rt_sigprocmask", "rt_sigaction",
		"signalfd4", "kill", "tgkill", "wait4", "waitid", "pidfd_open",
		"pidfd_send_signal", "prctl", "ioctl", "sched_setscheduler",
		"setpriority", "getpriority", "clock_gettime", "clock_nanosleep",
		"nanosleep", "getrandom", "memfd_create", "rseq", "set_robust_list",
		"exit", "exit_group", "getpid", "gettid", "getuid", "geteuid",
		"capget", "uname", "sysinfo", "timerfd_create", "eventfd2", "pipe2",
		NULL,
	};

	for (const char *const *s = needed; *s; s++)
		if (denied(*s))
			fail_msg("%s is needed but denied", *s);
}

/* The value of NAME= in a probe line ("NAME=VALUE NAME=VALUE..."), or "". */
static void value(const char *line, const char *name, char *out, size_t len)
{
	char copy[1024], *save = NULL, *tok;
	size_t n = strlen(name);

	out[0] = '\0';
	snprintf(copy, sizeof(copy), "%s", line);
	copy[strcspn(copy, "\n")] = '\0';
	for (tok = strtok_r(copy, " ", &save); tok; tok = strtok_r(NULL, " ", &save))
		if (strncmp(tok, name, n) == 0 && tok[n] == '=') {
			snprintf(out, len, "%s", tok + n + 1);
			return;
		}
}

static void expect(const char *line, const char *name, const char *want)
{
	char got[64];

	value(line, name, got, sizeof(got));
	if (strcmp(got, want) != 0)
		fail_msg("%s=%s, not %s, in: %s", name, got, want, line);
}

static void test_filter(void **state)
{
	char before[1024] = "", after[1024] = "", err[256] = "";
	int fds[2], st;
	pid_t target, prober;
	FILE *f;

	target = fork();
	assert_true(target >= 0);
	if (target == 0) {
		for (;;)
			pause();
	}
	assert_int_equal(pipe(fds), 0);
	prober = fork();
	assert_true(prober >= 0);
	if (prober == 0) {
		char b[1024], e[256] = "";
		FILE *w = fdopen(fds[1], "w");

		close(fds[0]);
		sw_sandbox_probe(target, b, sizeof(b));
		fprintf(w, "%s\n", b);
		/* As spawnwatch does it without --run-as: no_new_privs first
		 * when not root (libseccomp sets it). */
		if (sw_sandbox_seccomp(e, sizeof(e)) < 0) {
			fprintf(w, "\n%s\n", e);
			_exit(1);
		}
		sw_sandbox_probe(target, b, sizeof(b));
		fprintf(w, "%s\n\n", b);
		fclose(w);
		_exit(0);
	}
	close(fds[1]);
	f = fdopen(fds[0], "r");
	assert_non_null(f);
	assert_non_null(fgets(before, sizeof(before), f));
	if (fgets(after, sizeof(after), f) && after[0] == '\n')
		(void)!fgets(err, sizeof(err), f);
	fclose(f);
	assert_int_equal(waitpid(prober, &st, 0), prober);
	kill(target, SIGKILL);
	waitpid(target, NULL, 0);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		fail_msg("the filter was not installed: %s", err);
	/* Allowed, these fail on their argument; denied, on the filter. */
	expect(before, "execve", "ENOENT");
	expect(before, "clone3", "EINVAL");
	expect(before, "clone_newuser", "EINVAL");
	expect(before, "tiocsti", "ENOTTY");
	expect(before, "thread", "ok");
	expect(after, "ptrace", sw_sandbox_ptrace_kept ? "ok" : "EPERM");
	expect(after, "process_vm_readv", "EPERM");
	expect(after, "process_vm_writev", "EPERM");
	expect(after, "pidfd_getfd", "EPERM");
	expect(after, "kcmp", "EPERM");
	expect(after, "execve", "EPERM");
	expect(after, "unshare", "EPERM");
	expect(after, "clone_newuser", "EPERM");
	expect(after, "clone3", "ENOSYS");
	expect(after, "bpf", "EPERM");
	expect(after, "socket_packet", "EAFNOSUPPORT");
	expect(after, "tiocsti", "EPERM");
	expect(before, "tiocsti_hi", "ENOTTY");	/* the kernel took it as TIOCSTI */
	expect(after, "tiocsti_hi", "EPERM");
	expect(after, "socket_packet_hi", "EAFNOSUPPORT");
	/* What spawnwatch needs still works under it. */
	expect(after, "thread", "ok");
	expect(after, "socket_unix", "ok");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names_resolve),
		cmocka_unit_test(test_needed_allowed),
		cmocka_unit_test(test_filter),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
