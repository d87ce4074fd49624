/* SPDX-License-Identifier: MIT */
/*
 * bare: the least a proc connector listener can do, as a yardstick for the
 * benchmark.  It subscribes, counts events by kind, optionally reads
 * /proc/PID/cmdline at each exec (as a monitor that prints argv must), and
 * prints what it saw as one JSON line when SIGINT or SIGTERM arrives.
 *
 *   bare [--wake-ms MS] [--argv] [--rcvbuf BYTES]
 *
 *   --wake-ms MS     sleep MS ms after each drained wakeup, so that events
 *                    are taken in batches (default 0: one wakeup per event)
 *   --argv           read /proc/PID/cmdline at each exec; count successes
 *   --rcvbuf BYTES   receive buffer (default 16 MiB; 0: the system default)
 *
 * {"events":N,"fork":N,"exec":N,"exit":N,"other":N,"enobufs":N,
 *  "seq_gaps":N,"wakeups":N,"argv_ok":N,"argv_gone":N}
 *
 * No lineage, no output per event: what it costs is the floor of what any
 * monitor costs on the same storm.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/cn_proc.h>
#include <linux/connector.h>
#include <linux/netlink.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_CPUS 4096

static uint64_t n_kind[4];	/* fork, exec, exit, other */
static uint64_t enobufs, seq_gaps, wakeups, argv_ok, argv_gone;
static uint32_t last_seq[MAX_CPUS];
static bool seen_cpu[MAX_CPUS];
static bool want_argv;
static int procfd = -1;

static void die(const char *what)
{
	fprintf(stderr, "bare: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void read_argv(int pid)
{
	char path[32], buf[4096];
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "%d/cmdline", pid);
	fd = openat(procfd, path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		argv_gone++;
		return;
	}
	n = read(fd, buf, sizeof(buf));
	close(fd);
	if (n > 0)
		argv_ok++;
	else
		argv_gone++;
}

static void on_msg(const struct nlmsghdr *nlh)
{
	const struct cn_msg *cn = NLMSG_DATA(nlh);
	const struct proc_event *ev = (const void *)cn->data;
	unsigned cpu;

	if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*cn) + sizeof(*ev) - sizeof(ev->event_data)) ||
	    cn->id.idx != CN_IDX_PROC || cn->id.val != CN_VAL_PROC)
		return;
	cpu = ev->cpu < MAX_CPUS ? ev->cpu : MAX_CPUS - 1;
	/* A step forward only: an ack, or a number seen again, is no gap. */
	if (seen_cpu[cpu] && cn->seq - last_seq[cpu] - 1u < 0x80000000u)
		seq_gaps += cn->seq - last_seq[cpu] - 1u;
	seen_cpu[cpu] = true;
	last_seq[cpu] = cn->seq;
	switch (ev->what) {
	case PROC_EVENT_FORK: n_kind[0]++; break;
	case PROC_EVENT_EXEC:
		n_kind[1]++;
		if (want_argv)
			read_argv(ev->event_data.exec.process_tgid);
		break;
	case PROC_EVENT_EXIT: n_kind[2]++; break;
	default: n_kind[3]++; break;
	}
}

static int subscribe(long rcvbuf)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = CN_IDX_PROC };
	char req[NLMSG_LENGTH(sizeof(struct cn_msg) + sizeof(uint32_t))]
		__attribute__((aligned(NLMSG_ALIGNTO)));
	struct nlmsghdr *nlh = (struct nlmsghdr *)req;
	struct cn_msg *cn = NLMSG_DATA(nlh);
	uint32_t op = PROC_CN_MCAST_LISTEN;
	int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
			NETLINK_CONNECTOR);
	int v = (int)rcvbuf;

	if (fd < 0)
		die("socket");
	if (rcvbuf > 0 && setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &v, sizeof(v)) < 0)
		die("SO_RCVBUFFORCE");
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		die("bind");
	memset(req, 0, sizeof(req));
	nlh->nlmsg_len = sizeof(req);
	nlh->nlmsg_type = NLMSG_DONE;
	nlh->nlmsg_pid = (uint32_t)getpid();
	cn->id.idx = CN_IDX_PROC;
	cn->id.val = CN_VAL_PROC;
	cn->len = sizeof(op);
	memcpy(cn->data, &op, sizeof(op));
	if (send(fd, req, sizeof(req), 0) < 0)
		die("send");
	return fd;
}

int main(int argc, char **argv)
{
	long wake_ms = 0, rcvbuf = 16L << 20;
	struct pollfd pfd[2];
	sigset_t set;
	char buf[65536];
	bool stop = false;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--argv")) {
			want_argv = true;
		} else if (!strcmp(argv[i], "--wake-ms") && i + 1 < argc) {
			wake_ms = strtol(argv[++i], NULL, 10);
		} else if (!strcmp(argv[i], "--rcvbuf") && i + 1 < argc) {
			rcvbuf = strtol(argv[++i], NULL, 10);
		} else {
			fprintf(stderr, "usage: bare [--wake-ms MS] [--argv] [--rcvbuf BYTES]\n");
			return 2;
		}
	}
	procfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (procfd < 0)
		die("/proc");
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, NULL);
	pfd[0].fd = subscribe(rcvbuf);
	pfd[0].events = POLLIN;
	pfd[1].fd = signalfd(-1, &set, SFD_CLOEXEC);
	pfd[1].events = POLLIN;
	if (pfd[1].fd < 0)
		die("signalfd");
	while (!stop) {
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			die("poll");
		}
		wakeups++;
		if (pfd[1].revents & POLLIN)
			stop = true;
		for (;;) {
			ssize_t n = recv(pfd[0].fd, buf, sizeof(buf), 0);

			if (n < 0 && errno == ENOBUFS) {
				enobufs++;
				continue;
			}
			if (n <= 0)
				break;
			for (struct nlmsghdr *h = (void *)buf; NLMSG_OK(h, (size_t)n);
			     h = NLMSG_NEXT(h, n))
				on_msg(h);
			if (!wake_ms)
				break;	/* one event per wakeup */
		}
		if (wake_ms && !stop) {
			struct timespec ts = { wake_ms / 1000, (wake_ms % 1000) * 1000000 };

			nanosleep(&ts, NULL);
		}
	}
	printf("{\"events\":%" PRIu64 ",\"fork\":%" PRIu64 ",\"exec\":%" PRIu64
	       ",\"exit\":%" PRIu64 ",\"other\":%" PRIu64 ",\"enobufs\":%" PRIu64
	       ",\"seq_gaps\":%" PRIu64 ",\"wakeups\":%" PRIu64 ",\"argv_ok\":%" PRIu64
	       ",\"argv_gone\":%" PRIu64 "}\n",
	       n_kind[0] + n_kind[1] + n_kind[2] + n_kind[3], n_kind[0], n_kind[1],
	       n_kind[2], n_kind[3], enobufs, seq_gaps, wakeups, argv_ok, argv_gone);
	return 0;
}
