/* SPDX-License-Identifier: MIT */
/*
 * A process whose /proc/PID/cmdline blocks whoever reads it, for as long as
 * a FUSE server (stallfs) does not answer.  Any user can do this to their
 * own processes; nothing here needs a privilege.
 *
 *   stallmm lock FILE [ARG...]
 *	maps FILE (on the stalled FUSE mount); one thread reads the mapping
 *	through /proc/self/mem, which faults the page in with the process's
 *	mmap lock held and waits for the server; a second thread calls
 *	mmap(), which queues for that lock as a writer.  From then on every
 *	reader of the lock waits behind it, and reading /proc/PID/cmdline
 *	(or environ) takes it.  Prints "ready PID" and waits to be killed.
 *
 *   stallmm argv FILE [ARG...]
 *	points its own command line at the mapping of FILE with
 *	prctl(PR_SET_MM_MAP), which an unprivileged process may do.  Linux
 *	4.17 and later refuse to read a command line from a file mapping
 *	(FOLL_ANON), so this one reads at once, as empty.  Prints "ready PID".
 *
 * Status 1 with a message when the stall cannot be set up.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include <linux/prctl.h>

#define MAP_LEN 4096

static char *map;
static int memfd = -1;
static int go_reader[2], go_writer[2];	/* pipes: a byte starts each */
static volatile pid_t tid_reader, tid_writer;

static void die(const char *what)
{
	fprintf(stderr, "stallmm: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void wait_go(int fd)
{
	char c;

	while (read(fd, &c, 1) < 0 && errno == EINTR)
		;
}

static void *reader(void *arg)
{
	char c;

	(void)arg;
	tid_reader = (pid_t)syscall(SYS_gettid);
	wait_go(go_reader[0]);
	/* Never returns while the server stalls. */
	if (pread(memfd, &c, 1, (off_t)(uintptr_t)map) < 0)
		die("read of the mapping");
	fprintf(stderr, "stallmm: the mapping was read: the server answered\n");
	exit(1);
}

static void *writer(void *arg)
{
	(void)arg;
	tid_writer = (pid_t)syscall(SYS_gettid);
	wait_go(go_writer[0]);
	/* Waits for the mmap lock behind the reader's fault. */
	if (mmap(NULL, MAP_LEN, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) ==
	    MAP_FAILED)
		die("mmap");
	return NULL;
}

/*
 * The thread's state letter in /proc/self/task/TID/stat.  No allocation:
 * once the lock is queued for, malloc's mmap or brk would wait too.
 */
static char state_of(pid_t tid)
{
	char path[64], buf[512], *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", (int)tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return '?';
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return '?';
	buf[n] = '\0';
	p = strrchr(buf, ')');
	return p && p[1] == ' ' ? p[2] : '?';
}

/* Waits up to 10 s for the thread to sleep in the kernel, unkillable or killable. */
static void wait_blocked(volatile pid_t *tid, const char *who)
{
	struct timespec ts = { 0, 10 * 1000000L };

	for (int i = 0; i < 1000; i++) {
		if (*tid && state_of(*tid) == 'D')
			return;
		nanosleep(&ts, NULL);
	}
	errno = ETIMEDOUT;
	die(who);
}

static void start(void *(*fn)(void *))
{
	pthread_t t;

	if (pthread_create(&t, NULL, fn, NULL) != 0)
		die("pthread_create");
}

/* Both threads first: creating one maps its stack, which takes the lock. */
static void lock_mode(void)
{
	memfd = open("/proc/self/mem", O_RDONLY | O_CLOEXEC);
	if (memfd < 0)
		die("/proc/self/mem");
	if (pipe(go_reader) < 0 || pipe(go_writer) < 0)
		die("pipe");
	start(reader);
	start(writer);
	if (write(go_reader[1], "", 1) != 1)
		die("pipe");
	wait_blocked(&tid_reader, "the reader never blocked in the mapping");
	if (write(go_writer[1], "", 1) != 1)
		die("pipe");
	wait_blocked(&tid_writer, "mmap never waited for the lock");
}

/* PR_SET_MM_MAP takes the whole layout: the current one, argv moved. */
static void argv_mode(void)
{
	unsigned long long v[52];
	struct prctl_mm_map m;
	char buf[4096], *p;
	FILE *f = fopen("/proc/self/stat", "r");
	size_t n;
	int i;

	if (!f)
		die("/proc/self/stat");
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	p = strrchr(buf, ')');
	if (!p)
		die("/proc/self/stat");
	p += 2;
	/* Field 3 (state) is p[0]; numbers from field 4 on. */
	p += 2;
	for (i = 4; i <= 51 && *p; i++)
		v[i] = strtoull(p, &p, 10);
	if (i <= 51) {
		errno = EINVAL;
		die("/proc/self/stat is short");
	}
	memset(&m, 0, sizeof(m));
	m.start_code = v[26];
	m.end_code = v[27];
	m.start_stack = v[28];
	m.start_data = v[45];
	m.end_data = v[46];
	m.start_brk = v[47];
	m.brk = (unsigned long long)(uintptr_t)sbrk(0);
	m.arg_start = (unsigned long long)(uintptr_t)map;
	m.arg_end = m.arg_start + 64;
	m.env_start = v[50];
	m.env_end = v[51];
	m.exe_fd = (uint32_t)-1;
	if (prctl(PR_SET_MM, PR_SET_MM_MAP, &m, sizeof(m), 0) < 0)
		die("prctl(PR_SET_MM_MAP)");
}

int main(int argc, char **argv)
{
	int fd;

	if (argc < 3 || (strcmp(argv[1], "lock") && strcmp(argv[1], "argv"))) {
		fprintf(stderr, "usage: stallmm lock|argv FILE [ARG...]\n");
		return 2;
	}
	fd = open(argv[2], O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		die(argv[2]);
	map = mmap(NULL, MAP_LEN, PROT_READ, MAP_PRIVATE, fd, 0);
	if (map == MAP_FAILED)
		die("mmap of the file");
	if (strcmp(argv[1], "lock") == 0)
		lock_mode();
	else
		argv_mode();
	{
		char line[32];
		int n = snprintf(line, sizeof(line), "ready %d\n", (int)getpid());

		if (write(STDOUT_FILENO, line, (size_t)n) != n)
			die("stdout");
	}
	for (;;)
		pause();
}
