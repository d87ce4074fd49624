/* SPDX-License-Identifier: MIT */
/*
 * masquerade: a program that shows another name than its own, to pass for
 * what belongs on the host.  Judged at exec and at a rename (comm):
 *   - a user-space process named like a kernel thread: argv[0] in brackets
 *     as ps shows a kernel thread ("[kworker/0:1]"), or argv[0], comm or
 *     the executable's name matching a kernel thread's name (kworker/N:N,
 *     kswapd0, ksoftirqd/0 ...).  Every exec is user space (a kernel
 *     thread never execs); a rename is judged unless the process is a
 *     kernel thread (kthreadd or its child, with no executable);
 *   - at exec, an argv[0] that names another installed program than the
 *     executable (exec -a sshd /tmp/x): the name is looked up, in the
 *     process's own root, on the system's PATH (and argv[0] as a path);
 *     the same file by any symlink (sh for dash, vi for vim.basic) is no
 *     disguise, nor a wrapper script that runs the executable.  Where the
 *     files cannot be looked at (a replayed log, a process gone), and
 *     where the name is installed nowhere, only the names of the daemons
 *     a disguise borrows count.  An arbitrary new name hides nothing.
 * Never judged: login shells (-bash), a multi-call binary (busybox), a
 * name the executable's starts or ends with up to a version or suffix
 * (python3 for python3.11), argv[0] under /proc (a re-exec of
 * /proc/self/exe), the allow-listed programs.
 */
#define _GNU_SOURCE
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>


#include "rules.h"
#include "safefs.h"

#define DELETED " (deleted)"
#define WRAPPER_READ 16384	/* of a script that may wrap the exe */

/* Kernel threads' names, as their comm shows them (fnmatch patterns). */
static const char *const kthreads[] = {
	"kworker", "kworker/*", "kthreadd", "kswapd", "kswapd[0-9]*",
	"ksoftirqd", "ksoftirqd/*", "migration/*",
	"rcu_sched", "rcu_bh", "rcu_preempt", "rcu_gp", "rcu_par_gp",
	"rcu_tasks*", "rcu_exp*", "rcuog/*", "rcuop/*", "rcuos/*", "rcuob/*",
	"rcuc/*", "watchdog/*", "watchdogd", "kcompactd[0-9]*", "khugepaged",
	"ksmd", "kdevtmpfs*", "kauditd", "khungtaskd", "oom_reaper",
	"kblockd", "kintegrityd", "kthrotld", "jbd2/*", "irq/*", "cpuhp/*",
	"idle_inject/*", "kpsmoused", "ipv6_addrconf", "mm_percpu_wq",
	"scsi_eh_*", "scsi_tmf_*", "xfsaild/*", "ext4-rsv-conver",
	"kaluad", "kmpath_rdacd", "ata_sff", "edac-poller", "devfreq_wq",
	"kstrp", "zswap-shrink", "kcryptd*", "kdmflush*", "khelper",
	"pool_workqueue_*", "psimon", "ksgxd", "napi/*", "vhost-[0-9]*",
	"writeback", "nvme-wq", "nvme-reset-wq",
	"nvme-delete-wq", "cryptd", "kmemleak",
};
/* Daemons and system programs a disguise borrows the name of. */
static const char *const daemons[] = {
	"sshd", "sshd-session", "cron", "crond", "anacron", "atd", "init",
	"systemd", "systemd-journald", "systemd-logind", "systemd-udevd",
	"systemd-resolved", "systemd-networkd", "systemd-timesyncd", "udevd",
	"dbus-daemon", "dbus-broker", "rsyslogd", "syslogd", "syslog-ng",
	"auditd", "agetty", "getty", "login", "nginx", "apache2", "httpd",
	"lighttpd", "php-fpm", "mysqld", "mariadbd", "postgres", "postmaster",
	"redis-server", "memcached", "mongod", "containerd", "dockerd",
	"kubelet", "snapd", "polkitd", "NetworkManager", "wpa_supplicant",
	"dhclient", "ntpd", "chronyd", "rpcbind", "smbd", "nmbd", "named",
	"dnsmasq", "avahi-daemon", "cupsd", "exim4", "sendmail", "irqbalance",
	"acpid", "multipathd", "accounts-daemon", "upowerd", "ModemManager",
	"gdm", "lightdm", "Xorg",
};
static const char *const multicall[] = {
	"busybox", "toybox", "coreutils", "box64", "ld.so",
};
/* The system's PATH, looked up in the process's own root. */
static const char *const bin_dirs[] = {
	"/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin",
	"/sbin", "/bin",
};

static void defaults(struct sw_rules *r)
{
	struct sw_rule_masq *m = &r->masq;

	m->enabled = true;
	SW_NAMES_FILL(&m->kthreads, kthreads);
	SW_NAMES_FILL(&m->daemons, daemons);
	SW_NAMES_FILL(&m->multicall, multicall);
}

/* "[anything]": how ps shows a process with no command line. */
static bool bracketed(const char *s)
{
	size_t n = strlen(s);

	return n >= 3 && s[0] == '[' && s[n - 1] == ']';
}

static bool kthread_name(const struct sw_rule_masq *m, const char *s)
{
	if (!s || !s[0])
		return false;
	if (bracketed(s))
		return true;
	for (unsigned i = 0; i < m->kthreads.n; i++) {
		const char *p = m->kthreads.v[i];

		/* Most patterns start with a plain character: a cheap no first. */
		if (!strchr("*?[\\", p[0]) && p[0] != s[0])
			continue;
		if (fnmatch(p, s, 0) == 0)
			return true;
	}
	return false;
}

/* name is exe's up to a version or suffix: python3 / python3.11, gcc-12. */
static bool same_stem(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);
	const char *rest;

	if (na > nb) {
		const char *t = a;

		a = b;
		b = t;
		na = nb;
	}
	if (na < 2 || strncmp(a, b, na) != 0)
		return false;
	rest = b + na;
	return !*rest || *rest == '.' || *rest == '-' || *rest == '_' ||
	       (*rest >= '0' && *rest <= '9');
}

enum found {
	F_UNKNOWN,		/* the files cannot be looked at */
	F_NONE,			/* no program by that name */
	F_SAME,			/* the executable itself */
	F_OTHER,		/* another program */
};

/* The process whose files are looked at: live, and still running exe. */
struct look {
	int root;		/* its root directory (O_PATH), on a safe file system */
	int exe_mnt;		/* the executable's mount and inode */
	uint64_t exe_ino;
	const char *exe_name;
	const char *cwd;
};

/*
 * path in the process's root, on the root's file system alone (safefs.h):
 * a FUSE mount a user put on the way is never entered.
 */
static int open_in(const struct look *k, const char *path, int flags)
{
	int fd = sw_safefs_open(k->root, path, flags, true);

	if (fd < 0)
		errno = -fd;
	return fd;
}

/* A script (#!) that names the executable: a wrapper that runs it. */
static bool wrapper(const struct look *k, const char *path)
{
	char buf[WRAPPER_READ + 1];
	int fd = open_in(k, path, O_RDONLY | O_NONBLOCK | O_NOCTTY);
	ssize_t n;

	if (fd < 0)
		return false;
	n = read(fd, buf, WRAPPER_READ);
	close(fd);
	if (n < 2 || buf[0] != '#' || buf[1] != '!')
		return false;
	buf[n] = '\0';
	for (ssize_t i = 0; i < n; i++)
		if (!buf[i])
			buf[i] = ' ';
	return strstr(buf, k->exe_name) != NULL;
}

static enum found look_path(const struct look *k, const char *path)
{
	struct stat st;
	int fd = open_in(k, path, O_PATH), mnt;
	uint64_t ino;

	if (fd < 0)
		return errno == ENOSYS || errno == EXDEV ? F_UNKNOWN : F_NONE;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    sw_safefs_fd_id(fd, &mnt, &ino) < 0) {
		close(fd);
		return F_NONE;
	}
	close(fd);
	if (mnt == k->exe_mnt && ino == k->exe_ino)
		return F_SAME;
	return wrapper(k, path) ? F_SAME : F_OTHER;
}

/* argv[0] as a path (against cwd), then its name on the system's PATH. */
static enum found look_up(const struct look *k, const char *a0, const char *name)
{
	char path[PATH_MAX];
	enum found f;

	if (strchr(a0, '/')) {
		int n = a0[0] == '/' || !k->cwd ?
				snprintf(path, sizeof(path), "%s", a0) :
				snprintf(path, sizeof(path), "%s/%s", k->cwd, a0);

		if (n > 0 && (size_t)n < sizeof(path) &&
		    (f = look_path(k, path)) != F_NONE)
			return f;
	}
	for (size_t i = 0; i < sizeof(bin_dirs) / sizeof(bin_dirs[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", bin_dirs[i], name);
		if ((f = look_path(k, path)) != F_NONE)
			return f;
	}
	return F_NONE;
}

/* Whether pid is the live process of ev; its root opened in k. */
static bool look_open(const struct sw_event *ev, const char *exe_name,
		      struct look *k)
{
	char path[64], link[PATH_MAX];
	ssize_t n;
	int fd, r;

	/* A replayed log's process is not the one with that pid here. */
	if (!ev->enriched)
		return false;
	snprintf(path, sizeof(path), "/proc/%d/exe", ev->pid);
	n = readlink(path, link, sizeof(link) - 1);
	if (n <= 0)
		return false;
	link[n] = '\0';
	/* Not the process the line is about (a reused pid). */
	if (strcmp(link, ev->exe) != 0)
		return false;
	/*
	 * The executable's identity from fdinfo, never stat(2): the file
	 * system it is on (a user's FUSE mount) is never asked.
	 */
	fd = open(path, O_PATH | O_CLOEXEC);
	if (fd < 0)
		return false;
	r = sw_safefs_fd_id(fd, &k->exe_mnt, &k->exe_ino);
	close(fd);
	if (r < 0)
		return false;
	snprintf(path, sizeof(path), "/proc/%d/root", ev->pid);
	k->root = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (k->root < 0)
		return false;
	/* A root on a file system that may not answer: not looked at. */
	if (!sw_safefs_dir_ok(ev->pid, k->root)) {
		close(k->root);
		return false;
	}
	k->exe_name = exe_name;
	k->cwd = (ev->have & SW_HAVE_CWD) ? ev->cwd : NULL;
	return true;
}

/* argv[0] a0 of ev names another program than its executable. */
static bool hides(const struct sw_rule_masq *m, const struct sw_event *ev,
		  const char *a0)
{
	char exe_name[NAME_MAX + 1];
	const char *name = sw_rule_base(a0);
	struct look k;
	enum found f = F_UNKNOWN;
	size_t n;

	snprintf(exe_name, sizeof(exe_name), "%s", sw_rule_base(ev->exe));
	n = strlen(exe_name);
	if (n > strlen(DELETED) && strcmp(exe_name + n - strlen(DELETED), DELETED) == 0)
		exe_name[n - strlen(DELETED)] = '\0';
	if (a0[0] == '-' || !name[0] || strncmp(a0, "/proc/", 6) == 0 ||
	    strcmp(name, exe_name) == 0 || same_stem(name, exe_name) ||
	    sw_names_has(&m->multicall, exe_name) || strcmp(name, ".") == 0 ||
	    strcmp(name, "..") == 0)
		return false;
	if (look_open(ev, exe_name, &k)) {
		f = look_up(&k, a0, name);
		close(k.root);
	}
	if (f == F_SAME)
		return false;
	return f == F_OTHER || sw_names_has(&m->daemons, name);
}

/* A kernel thread: kthreadd or its child, without an executable. */
static bool kernel_thread(const struct sw_event *ev)
{
	return !(ev->have & SW_HAVE_EXE) &&
	       (ev->pid == 2 || ((ev->have & SW_HAVE_PPID) && ev->ppid == 2));
}

static void judge_exec(const struct sw_rule_masq *m, struct sw_event *ev)
{
	const char *a0 = (ev->have & SW_HAVE_ARGV) && ev->argv_len ? ev->argv : NULL;
	const char *exe = (ev->have & SW_HAVE_EXE) ? ev->exe : NULL;

	/* A snapshot's (forest) kernel thread. */
	if (kernel_thread(ev) || (exe && sw_paths_has(&m->allow, exe)))
		return;
	const char *a0_base = a0 ? sw_rule_base(a0) : NULL;
	const char *comm = (ev->have & SW_HAVE_COMM) ? ev->comm : NULL;
	const char *exe_base = exe && strncmp(exe, "/memfd:", 7) != 0 ?
				       sw_rule_base(exe) : NULL;

	/* Each name once: argv[0], its base, comm and the exe's name often agree. */
	if ((a0 && kthread_name(m, a0)) ||
	    (a0_base != a0 && kthread_name(m, a0_base)) ||
	    (comm && (!a0_base || strcmp(comm, a0_base)) && kthread_name(m, comm)) ||
	    (exe_base && (!comm || strcmp(exe_base, comm)) &&
	     (!a0_base || strcmp(exe_base, a0_base)) && kthread_name(m, exe_base))) {
		sw_detect_tag(ev, "masquerade");
		return;
	}
	if (a0 && exe && exe[0] == '/' && strncmp(exe, "/memfd:", 7) != 0 &&
	    hides(m, ev, a0))
		sw_detect_tag(ev, "masquerade");
}

/* A rename of the process (its leader: what ps shows) to a kernel thread's name. */
static void judge_comm(const struct sw_rule_masq *m, struct sw_event *ev)
{
	if (ev->thread || ev->pid != ev->tid || kernel_thread(ev) ||
	    ((ev->have & SW_HAVE_EXE) && ev->exe && sw_paths_has(&m->allow, ev->exe)))
		return;
	if (kthread_name(m, ev->u.comm.comm))
		sw_detect_tag(ev, "masquerade");
}

static void on_event(const struct sw_detect_ctx *c, struct sw_event *ev)
{
	const struct sw_rule_masq *m = &c->r->masq;

	if (!m->enabled)
		return;
	if (ev->type == SW_EV_EXEC)
		judge_exec(m, ev);
	else if (ev->type == SW_EV_COMM)
		judge_comm(m, ev);
}

static const struct sw_rule_key keys[] = {
	SW_KEY_ENABLED(masq.enabled),
	SW_KEY("kernel_threads", SW_KEY_NAMES, masq.kthreads),
	SW_KEY("daemons", SW_KEY_NAMES, masq.daemons),
	SW_KEY("multicall", SW_KEY_NAMES, masq.multicall),
	SW_KEY("allow", SW_KEY_PATHS, masq.allow),
	{ NULL, 0, 0, 0, 0 },
};
static const struct sw_rule_section masquerade = { "masquerade", keys };
static const struct sw_rule_section *const sections[] = { &masquerade, NULL };

const struct sw_detector sw_rules_masq = {
	.family = "masq",
	.defaults = defaults,
	.on_event = on_event,
	.sections = sections,
};
