/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/kcmp.h>
#include <pthread.h>
#include <sched.h>
#include <seccomp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sandbox.h"

#ifdef HAVE_VALGRIND_VALGRIND_H
#include <valgrind/valgrind.h>
#else
#define RUNNING_ON_VALGRIND 0
#endif

#if defined(__SANITIZE_ADDRESS__)
#define KEEP_PTRACE true
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define KEEP_PTRACE true
#endif
#endif
#ifndef KEEP_PTRACE
#define KEEP_PTRACE false
#endif

const bool sw_sandbox_ptrace_kept = KEEP_PTRACE;

/*
 * With CAP_SYS_PTRACE, the calls that take hold of another process (its
 * memory, its descriptors, its execution); and what would let code that
 * took spawnwatch over run something else, leave its namespaces or reach
 * the kernel's more exotic interfaces.  None is called by spawnwatch once
 * it watches.  /proc/PID/mem is a file: no system call tells it from
 * /proc/PID/cmdline (the uid spawnwatch runs as, not this list, keeps it
 * closed: it is root's, mode 0600).
 */
const struct sw_sandbox_deny sw_sandbox_denied[] = {
	{ "ptrace", EPERM, "trace, stop, read and write any process" },
	{ "process_vm_readv", EPERM, "read any process's memory" },
	{ "process_vm_writev", EPERM, "write any process's memory" },
	{ "pidfd_getfd", EPERM, "take a copy of any process's descriptors" },
	{ "kcmp", EPERM, "compare other processes' descriptors and memory" },
	{ "process_madvise", EPERM, "page another process's memory out" },
	{ "perf_event_open", EPERM, "sample another process's registers" },
	{ "get_robust_list", EPERM, "read another process's futex list" },
	{ "move_pages", EPERM, "move another process's pages" },
	{ "migrate_pages", EPERM, "move another process's pages" },
	{ "open_by_handle_at", EPERM, "open a file by handle, past directories" },
	{ "name_to_handle_at", EPERM, "make file handles" },
	{ "execve", EPERM, "run another program" },
	{ "execveat", EPERM, "run another program" },
	{ "unshare", EPERM, "new namespaces (a user namespace's capabilities)" },
	{ "setns", EPERM, "enter other namespaces" },
	{ "clone3", ENOSYS, "new namespaces (its flags cannot be read: ENOSYS, "
			    "so that the C library falls back to clone)" },
	{ "userfaultfd", EPERM, "stall the kernel on a page fault" },
	{ "bpf", EPERM, "load programs into the kernel" },
	{ "io_uring_setup", EPERM, "system calls this filter does not see" },
	{ "io_uring_enter", EPERM, "system calls this filter does not see" },
	{ "io_uring_register", EPERM, "system calls this filter does not see" },
	{ "init_module", EPERM, "load kernel code" },
	{ "finit_module", EPERM, "load kernel code" },
	{ "delete_module", EPERM, "unload kernel code" },
	{ "kexec_load", EPERM, "replace the kernel" },
	{ "kexec_file_load", EPERM, "replace the kernel" },
	{ "reboot", EPERM, "stop the machine" },
	{ "swapon", EPERM, "swap" },
	{ "swapoff", EPERM, "swap" },
	{ "mount", EPERM, "mount" },
	{ "umount2", EPERM, "unmount" },
	{ "pivot_root", EPERM, "change the root" },
	{ "chroot", EPERM, "change the root" },
	{ "open_tree", EPERM, "mount" },
	{ "move_mount", EPERM, "mount" },
	{ "fsopen", EPERM, "mount" },
	{ "fsconfig", EPERM, "mount" },
	{ "fsmount", EPERM, "mount" },
	{ "fspick", EPERM, "mount" },
	{ "mount_setattr", EPERM, "mount" },
	{ "iopl", EPERM, "port I/O" },
	{ "ioperm", EPERM, "port I/O" },
	{ "acct", EPERM, "process accounting" },
	{ "quotactl", EPERM, "quotas" },
	{ "settimeofday", EPERM, "set the clock" },
	{ "clock_settime", EPERM, "set the clock" },
	{ "clock_adjtime", EPERM, "set the clock" },
	{ "adjtimex", EPERM, "set the clock" },
	{ "sethostname", EPERM, "rename the host" },
	{ "setdomainname", EPERM, "rename the host" },
	{ "add_key", EPERM, "the kernel's keyrings" },
	{ "request_key", EPERM, "the kernel's keyrings" },
	{ "keyctl", EPERM, "the kernel's keyrings" },
	{ "syslog", EPERM, "read or clear the kernel's log" },
	{ "vhangup", EPERM, "hang up the terminal" },
	{ "uselib", EPERM, "load a library the old way" },
	{ NULL, 0, NULL },
};

/* clone's namespace flags (clone3's are out of reach: ENOSYS above). */
static const unsigned long ns_flags[] = {
	CLONE_NEWNS, CLONE_NEWCGROUP, CLONE_NEWUTS, CLONE_NEWIPC,
	CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET,
};

/* The families spawnwatch's sockets have: netlink (the proc connector),
 * AF_UNIX (syslog, the journal, NSS), and IP (--syslog udp:// tcp://). */
static bool family_used(int f)
{
	return f == AF_UNIX || f == AF_INET || f == AF_INET6 || f == AF_NETLINK;
}

static int add_denied(scmp_filter_ctx ctx, const char **what)
{
	for (const struct sw_sandbox_deny *d = sw_sandbox_denied; d->name; d++) {
		int nr = seccomp_syscall_resolve_name(d->name), r;

		if (nr == __NR_SCMP_ERROR)
			continue;	/* not a call on this architecture */
		if (KEEP_PTRACE && strcmp(d->name, "ptrace") == 0)
			continue;
		if ((r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO((unsigned)d->err), nr, 0)) < 0) {
			*what = d->name;
			return r;
		}
	}
	return 0;
}

/* ARG & MASK == VALUE.  The kernel reads ioctl's request and socket's
 * family as ints: the mask keeps a caller from hiding them behind high
 * bits that the kernel drops anyway. */
static struct scmp_arg_cmp masked(unsigned arg, uint64_t mask, uint64_t value)
{
	struct scmp_arg_cmp c = { .arg = arg, .op = SCMP_CMP_MASKED_EQ,
				  .datum_a = mask, .datum_b = value };

	return c;
}

static int deny_if(scmp_filter_ctx ctx, int err, int nr, struct scmp_arg_cmp c)
{
	return seccomp_rule_add_array(ctx, SCMP_ACT_ERRNO((unsigned)err), nr, 1, &c);
}

static int add_conditional(scmp_filter_ctx ctx, const char **what)
{
	struct scmp_arg_cmp above = { .arg = 0, .op = SCMP_CMP_GT,
				      .datum_a = AF_NETLINK, .datum_b = 0 };
	int r = 0;

	*what = "clone";
	for (size_t i = 0; i < sizeof(ns_flags) / sizeof(ns_flags[0]) && r == 0; i++)
		r = deny_if(ctx, EPERM, SCMP_SYS(clone), masked(0, ns_flags[i], ns_flags[i]));
	/* Characters pushed into the terminal spawnwatch was started from. */
	*what = "ioctl";
	if (r == 0)
		r = deny_if(ctx, EPERM, SCMP_SYS(ioctl), masked(1, 0xffffffffu, TIOCSTI));
	if (r == 0)
		r = deny_if(ctx, EPERM, SCMP_SYS(ioctl), masked(1, 0xffffffffu, TIOCLINUX));
	/* Any other socket family: packet, vsock, crypto... */
	*what = "socket";
	for (int f = 0; f <= AF_NETLINK && r == 0; f++)
		if (!family_used(f))
			r = deny_if(ctx, EAFNOSUPPORT, SCMP_SYS(socket),
				    masked(0, 0xffffffffu, (unsigned)f));
	/* Past AF_NETLINK, on all 64 bits: high bits set are above it too. */
	if (r == 0)
		r = deny_if(ctx, EAFNOSUPPORT, SCMP_SYS(socket), above);
	return r;
}

int sw_sandbox_seccomp(char *err, size_t errlen)
{
	const char *what = "its filter";
	scmp_filter_ctx ctx;
	int r;

	/* valgrind runs the program itself and has no seccomp(2): the
	 * filter would be refused, and the refusal logged as its error. */
	if (RUNNING_ON_VALGRIND)
		return 1;
	ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (!ctx) {
		snprintf(err, errlen, "seccomp: cannot make a filter: out of memory");
		return -ENOMEM;
	}
	/* On every thread, those started before included. */
	r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1);
	if (r == 0)
		r = add_denied(ctx, &what);
	if (r == 0)
		r = add_conditional(ctx, &what);
	if (r == 0) {
		what = "the filter";
		r = seccomp_load(ctx);
	}
	seccomp_release(ctx);
	if (r < 0)
		snprintf(err, errlen, "seccomp: cannot install %s: %s", what, strerror(-r));
	return r < 0 ? r : 0;
}

/* The probe: each result as "ok" or the errno's name. */
static int put(char *buf, size_t len, int at, const char *name, long r)
{
	const char *res = r >= 0 ? "ok" : strerrorname_np(errno);
	int n;

	if (at < 0 || (size_t)at >= len)
		return at;
	n = snprintf(buf + at, len - (size_t)at, "%s%s=%s", at ? " " : "", name,
		     res ? res : "?");
	return n < 0 ? at : at + n;
}

static long close_ok(long fd)
{
	if (fd >= 0)
		close((int)fd);
	return fd;
}

static long try_ptrace(pid_t t)
{
	long r = ptrace(PTRACE_ATTACH, t, NULL, NULL);
	int e = errno;

	if (r == 0) {
		waitpid(t, NULL, __WALL);
		ptrace(PTRACE_DETACH, t, NULL, NULL);
	}
	errno = e;
	return r;
}

/* At an address no process maps: nothing is read or written even when
 * the call is allowed (EFAULT then). */
static long try_vm(pid_t t, bool write)
{
	char c = 0;
	struct iovec l = { &c, 1 }, rem = { (void *)4096, 1 };

	return write ? process_vm_writev(t, &l, 1, &rem, 1, 0)
		     : process_vm_readv(t, &l, 1, &rem, 1, 0);
}

static long try_getfd(pid_t t)
{
	int pfd = (int)syscall(SYS_pidfd_open, t, 0), e;
	long r;

	if (pfd < 0)
		return -1;
	r = syscall(SYS_pidfd_getfd, pfd, 0, 0);
	e = errno;
	close(pfd);
	close_ok(r);
	errno = e;
	return r;
}

static void *nothing(void *arg)
{
	return arg;
}

static long try_thread(void)
{
	pthread_t th;
	int r = pthread_create(&th, NULL, nothing, NULL);

	if (r != 0) {
		errno = r;
		return -1;
	}
	pthread_join(th, NULL);
	return 0;
}

int sw_sandbox_probe(pid_t t, char *buf, size_t len)
{
	char path[64], *argv[] = { NULL };
	int n = 0, s;

	if (len)
		buf[0] = '\0';
	snprintf(path, sizeof(path), "/proc/%d/mem", (int)t);
	n = put(buf, len, n, "ptrace", try_ptrace(t));
	n = put(buf, len, n, "process_vm_readv", try_vm(t, false));
	n = put(buf, len, n, "process_vm_writev", try_vm(t, true));
	n = put(buf, len, n, "pidfd_getfd", try_getfd(t));
	n = put(buf, len, n, "kcmp", syscall(SYS_kcmp, getpid(), t, KCMP_FILE, 0, 0));
	n = put(buf, len, n, "mem_rdwr", close_ok(open(path, O_RDWR | O_CLOEXEC)));
	/* A path that is not there: even allowed, nothing is run (ENOENT). */
	n = put(buf, len, n, "execve", execve("/nonexistent/spawnwatch-probe", argv, argv));
	n = put(buf, len, n, "unshare", unshare(0));
	/* A combination the kernel refuses (EINVAL): no child even if allowed. */
	n = put(buf, len, n, "clone_newuser",
		syscall(SYS_clone, CLONE_NEWUSER | CLONE_FS, NULL, NULL, NULL, 0));
	n = put(buf, len, n, "clone3", syscall(SYS_clone3, NULL, 0));
	n = put(buf, len, n, "thread", try_thread());
	n = put(buf, len, n, "bpf", syscall(SYS_bpf, -1, NULL, 0));
	n = put(buf, len, n, "socket_packet", close_ok(socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, 0)));
	s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	n = put(buf, len, n, "socket_unix", s);
	/* On a socket, not a terminal: even allowed, nothing is typed. */
	n = put(buf, len, n, "tiocsti", s < 0 ? -1 : ioctl(s, TIOCSTI, ""));
	/* The same with high bits the kernel drops (it reads an int). */
	n = put(buf, len, n, "tiocsti_hi", s < 0 ? -1 :
		syscall(SYS_ioctl, s, (unsigned long)TIOCSTI | (1ul << 32), ""));
	n = put(buf, len, n, "socket_packet_hi", close_ok(syscall(SYS_socket,
		(unsigned long)AF_PACKET | (1ul << 32), SOCK_DGRAM | SOCK_CLOEXEC, 0)));
	close_ok(s);
	if (n >= 0 && (size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n, " dumpable=%d",
			      prctl(PR_GET_DUMPABLE, 0, 0, 0, 0));
	return n;
}
