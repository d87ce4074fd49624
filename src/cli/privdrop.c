/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "privdrop.h"

static int fail(char *err, size_t errlen, const char *what)
{
	snprintf(err, errlen, "--run-as: %s: %s", what, strerror(errno));
	return -1;
}

static unsigned last_cap(void)
{
	unsigned n = CAP_LAST_CAP;
	FILE *f = fopen("/proc/sys/kernel/cap_last_cap", "re");

	if (f) {
		if (fscanf(f, "%u", &n) != 1 || n > 63)
			n = CAP_LAST_CAP;
		fclose(f);
	}
	return n;
}

int sw_privdrop(uid_t uid, gid_t gid, char *err, size_t errlen)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2];
	const unsigned keep = CAP_SYS_PTRACE;

	if (geteuid() != 0) {
		errno = EPERM;
		return fail(err, errlen, "only root can switch to another user");
	}
	/* Out of the bounding set: not even an exec could bring them back. */
	for (unsigned c = 0; c <= last_cap(); c++)
		if (c != keep && prctl(PR_CAPBSET_DROP, c, 0, 0, 0) < 0 &&
		    errno != EINVAL)
			return fail(err, errlen, "cannot drop capabilities");
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
		return fail(err, errlen, "cannot keep capabilities");
	if (setgroups(1, &gid) < 0 || setresgid(gid, gid, gid) < 0)
		return fail(err, errlen, "cannot switch group");
	if (setresuid(uid, uid, uid) < 0)
		return fail(err, errlen, "cannot switch user");
	memset(data, 0, sizeof(data));
	data[0].effective = data[0].permitted = 1u << keep;
	if (syscall(SYS_capset, &hdr, data) < 0)
		return fail(err, errlen, "cannot set capabilities");
	if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0 ||
	    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 ||
	    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return fail(err, errlen, "cannot lock privileges");
	/* The switch of uid made it undumpable only if fs.suid_dumpable is
	 * 0: with it so, processes of the same user cannot ptrace it, read
	 * its memory or its /proc files (they become root's). */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		return fail(err, errlen, "cannot make it undumpable");
	/* Paranoia: root must be out of reach now. */
	if (uid != 0 && (setuid(0) == 0 || seteuid(0) == 0)) {
		errno = EPERM;
		return fail(err, errlen, "root is still within reach");
	}
	return 0;
}

bool sw_privdrop_has_cap(unsigned cap)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2];

	memset(data, 0, sizeof(data));
	if (cap > 63 || syscall(SYS_capget, &hdr, data) < 0)
		return false;
	return data[cap / 32].effective & (1u << (cap % 32));
}

int sw_privdrop_degraded(char *buf, size_t len, bool root, bool ptrace,
			 size_t asked, long got)
{
	bool capped = got >= 0 && (size_t)got < asked;
	int n;

	if (ptrace && !capped)
		return 0;
	n = snprintf(buf, len, "warning: %s%s%s%s",
		     root ? "" : "not running as root: ",
		     ptrace ? "" : "exe and cwd of other users' processes are "
				  "unreadable (no CAP_SYS_PTRACE)",
		     !ptrace && capped ? ", and " : "",
		     capped ? "the receive buffer is capped at net.core.rmem_max" : "");
	if (capped && n >= 0 && (size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n, " (%ld of the %zu bytes "
			      "asked; CAP_NET_ADMIN lifts it), so a storm may "
			      "lose events", got, asked);
	return n < 0 ? 0 : n;
}

/* A shell nobody logs in with: nologin, false, or true. */
static bool no_login(const char *shell)
{
	const char *base;

	if (!shell || !*shell)
		return false;	/* login(1) takes /bin/sh then */
	base = strrchr(shell, '/');
	base = base ? base + 1 : shell;
	return strcmp(base, "nologin") == 0 || strcmp(base, "false") == 0 ||
	       strcmp(base, "true") == 0;
}

const char *sw_privdrop_shared(uint32_t uid, uint32_t gid, const char *name,
			       const char *shell, int other_pid)
{
	if (uid == 0)
		return "root is every service's user";
	if (uid == SW_OVERFLOW_UID || (name && (strcmp(name, "nobody") == 0 ||
						strcmp(name, "nfsnobody") == 0)))
		return "nobody is shared by every service that runs as it, and is "
		       "what user namespaces show for unmapped users";
	if (gid == 0)
		return "its group is root's";
	if (!no_login(shell))
		return "it has a login shell: whoever logs in as it";
	if (other_pid > 0)
		return "another process runs as it";
	return NULL;
}

/* Whether /proc/PID/status's Uid line (real, effective, saved, fs)
 * names uid, of a process that is not a zombie (which signals nothing). */
static bool runs_as(int procfd, const char *pid, uint32_t uid)
{
	char path[64], line[256];
	bool found = false;
	FILE *f;
	int fd;

	snprintf(path, sizeof(path), "%s/status", pid);
	fd = openat(procfd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || !(f = fdopen(fd, "re"))) {
		if (fd >= 0)
			close(fd);
		return false;
	}
	while (fgets(line, sizeof(line), f)) {
		unsigned long u[4];

		if (strncmp(line, "State:", 6) == 0 && strchr(line, 'Z'))
			break;
		if (strncmp(line, "Uid:", 4) != 0)
			continue;
		if (sscanf(line + 4, "%lu %lu %lu %lu", &u[0], &u[1], &u[2], &u[3]) == 4)
			for (int i = 0; i < 4; i++)
				found = found || u[i] == uid;
		break;
	}
	fclose(f);
	return found;
}

int sw_privdrop_uid_in_use(uint32_t uid, int self)
{
	int procfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC), dfd, pid = 0;
	struct dirent *de;
	DIR *d;

	if (procfd < 0)
		return -errno;
	dfd = dup(procfd);
	if (dfd < 0 || !(d = fdopendir(dfd))) {
		int e = errno;

		if (dfd >= 0)
			close(dfd);
		close(procfd);
		return -e;
	}
	while (!pid && (de = readdir(d))) {
		char *end;
		long p = strtol(de->d_name, &end, 10);

		if (*end || p <= 0 || p == self)
			continue;
		if (runs_as(procfd, de->d_name, uid))
			pid = (int)p;
	}
	closedir(d);
	close(procfd);
	return pid;
}
