/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <errno.h>
#include <grp.h>
#include <linux/capability.h>
#include <stdio.h>
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
	/* Paranoia: root must be out of reach now. */
	if (uid != 0 && (setuid(0) == 0 || seteuid(0) == 0)) {
		errno = EPERM;
		return fail(err, errlen, "root is still within reach");
	}
	return 0;
}
