/* SPDX-License-Identifier: MIT */
/*
 * The --output file: what is refused (symbolic links, FIFOs, devices,
 * directories, hard links, other users' files), the mode it is given, the
 * torn tail cut only in spawnwatch's own log, the reopen that keeps the
 * old file, and the chown of only a file spawnwatch created.  On real
 * files in a temporary directory; the parts about owners need root.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "output.h"
#include "sink.h"

#define L1 "{\"ts\":\"2026-12-07T09:29:26.123456789Z\",\"seq\":1,\"host\":\"h\",\"event\":\"start\"}\n"
#define L2 "{\"ts\":\"2026-12-07T09:29:27.000000001Z\",\"seq\":2,\"host\":\"h\",\"event\":\"exec\",\"pid\":5}\n"
#define E1 "{\"@timestamp\":\"2026-12-07T09:29:26.123456789Z\",\"ecs\":{\"version\":\"8.11.0\"}," \
	   "\"event\":{\"kind\":\"event\",\"category\":[\"process\"],\"type\":[\"start\"]," \
	   "\"action\":\"exec\",\"sequence\":3,\"module\":\"spawnwatch\"," \
	   "\"dataset\":\"spawnwatch.process\"},\"host\":{\"hostname\":\"h\"}}\n"

static char dir[64];
static char path[128], other[128];
static struct sw_output o;
static char why[512];

static int rm_one(const char *p, const struct stat *sb, int flag, struct FTW *f)
{
	return remove(p);
}

static int setup(void **state)
{
	snprintf(dir, sizeof(dir), "/tmp/sw-output-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof(path), "%s/log", dir);
	snprintf(other, sizeof(other), "%s/other", dir);
	memset(&o, 0, sizeof(o));
	o.fd = -1;
	why[0] = '\0';
	return 0;
}

static int teardown(void **state)
{
	sw_output_close(&o);
	return nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void put(const char *p, const char *data, size_t len, mode_t mode)
{
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	assert_int_equal(fchmod(fd, mode), 0);
	close(fd);
}

#define PUT(p, lit) put(p, lit, sizeof(lit) - 1, 0644)

/* The whole file, NUL-ended, in a static buffer. */
static const char *slurp(const char *p, size_t *ret_len)
{
	static char buf[1 << 16];
	int fd = open(p, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	assert_true(fd >= 0);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	assert_true(n >= 0);
	buf[n] = '\0';
	if (ret_len)
		*ret_len = (size_t)n;
	return buf;
}

static mode_t mode_of(const char *p)
{
	struct stat st;

	assert_int_equal(lstat(p, &st), 0);
	return st.st_mode & 07777;
}

static int open_as(uid_t owner)
{
	return sw_output_open(&o, path, owner, why, sizeof(why));
}

static void write_line(const char *s)
{
	assert_int_equal(sw_buf_puts(&o.buf, s), 0);
	assert_int_equal(sw_output_flush(&o), 0);
}

static void refused(int want, const char *reason)
{
	int r = open_as(SW_OUTPUT_NO_OWNER);

	assert_int_equal(r, want);
	assert_int_equal(o.fd, -1);
	if (!strstr(why, reason) || !strstr(why, path))
		fail_msg("reason \"%s\" lacks \"%s\" or the path", why, reason);
	assert_null(strchr(why, '\n'));
}

static void test_create(void **state)
{
	mode_t old = umask(0277);	/* even so: 0600, and written */

	assert_int_equal(open_as(SW_OUTPUT_NO_OWNER), 0);
	umask(old);
	assert_true(o.created);
	assert_int_equal(mode_of(path), 0600);
	write_line(L1);
	assert_string_equal(slurp(path, NULL), L1);
	/* O_NONBLOCK was for the open only. */
	assert_false(fcntl(o.fd, F_GETFL) & O_NONBLOCK);
	assert_true(fcntl(o.fd, F_GETFL) & O_APPEND);
	assert_true(fcntl(o.fd, F_GETFD) & FD_CLOEXEC);
}

static void test_existing_mode(void **state)
{
	PUT(path, L1);
	assert_int_equal(chmod(path, 04755), 0);
	assert_int_equal(open_as(SW_OUTPUT_NO_OWNER), 0);
	assert_false(o.created);
	assert_int_equal(mode_of(path), 0600);
	write_line(L2);
	assert_string_equal(slurp(path, NULL), L1 L2);
}

static void test_symlink(void **state)
{
	assert_int_equal(symlink(other, path), 0);
	refused(-ELOOP, "symbolic link");
	assert_int_equal(access(other, F_OK), -1);	/* never created */
	/* Nor to an existing file, whose mode stays. */
	PUT(other, L1);
	refused(-ELOOP, "symbolic link");
	assert_int_equal(mode_of(other), 0644);
	assert_string_equal(slurp(other, NULL), L1);
}

static void test_fifo(void **state)
{
	/* No reader: an open for writing alone would block, or fail. */
	assert_int_equal(mkfifo(path, 0644), 0);
	refused(-EINVAL, "it is a FIFO, not a regular file");
	assert_int_equal(mode_of(path), 0644);
}

static void test_directory(void **state)
{
	assert_int_equal(mkdir(path, 0755), 0);
	refused(-EISDIR, "Is a directory");
	assert_int_equal(mode_of(path), 0755);
}

static void test_device(void **state)
{
	struct stat before, after;

	/* /dev/null is 0666 for everyone: refused before any chmod. */
	assert_int_equal(stat("/dev/null", &before), 0);
	assert_int_equal(sw_output_open(&o, "/dev/null", SW_OUTPUT_NO_OWNER, why,
					sizeof(why)), -EINVAL);
	assert_non_null(strstr(why, "a character device, not a regular file"));
	assert_int_equal(stat("/dev/null", &after), 0);
	assert_int_equal(after.st_mode, before.st_mode);
}

static void test_hard_link(void **state)
{
	PUT(other, L1 "tail");
	assert_int_equal(link(other, path), 0);
	refused(-EMLINK, "2 hard links");
	/* The file behind it is left as it was: mode and last line. */
	assert_int_equal(mode_of(other), 0644);
	assert_string_equal(slurp(other, NULL), L1 "tail");
	/* Once the other name is gone, it is a file like any. */
	assert_int_equal(unlink(other), 0);
	assert_int_equal(open_as(SW_OUTPUT_NO_OWNER), 0);
}

static void test_owner(void **state)
{
	if (geteuid() != 0)
		skip();
	PUT(path, L1);
	assert_int_equal(chown(path, 4242, 4242), 0);
	refused(-EPERM, "it belongs to uid 4242, not to root");
	assert_int_equal(mode_of(path), 0644);
	assert_int_equal(open_as(4343), -EPERM);
	assert_non_null(strstr(why, "not to root or the --run-as user"));
	/* The --run-as user's own file is accepted (and made 0600). */
	assert_int_equal(open_as(4242), 0);
	assert_false(o.created);
	assert_int_equal(mode_of(path), 0600);
}

/* The sink gives away only a file it created. */
static void test_chown_created_only(void **state)
{
	struct sw_sink_conf c = { .output = path, .run_as = true, .run_uid = 4242 };
	struct sw_sink *s;
	struct stat st;
	char err[512];

	if (geteuid() != 0)
		skip();
	assert_int_equal(sw_sink_open(&s, c, err, sizeof(err)), 0);
	assert_int_equal(sw_sink_chown(s, 4242, 4242), 0);
	sw_sink_free(s);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_uid, 4242);

	c.output = other;
	PUT(other, L1);
	assert_int_equal(sw_sink_open(&s, c, err, sizeof(err)), 0);
	assert_int_equal(sw_sink_chown(s, 4242, 4242), 0);
	sw_sink_free(s);
	assert_int_equal(stat(other, &st), 0);
	assert_int_equal(st.st_uid, 0);
}

/* path holds `before`; opened, it holds `after`. */
static void tail_case(const char *before, size_t len, const char *after)
{
	put(path, before, len, 0600);
	assert_int_equal(open_as(SW_OUTPUT_NO_OWNER), 0);
	assert_string_equal(slurp(path, NULL), after);
	sw_output_close(&o);
}

static void test_tail(void **state)
{
#define TAIL(b, a) tail_case(b, sizeof(b) - 1, a)
	/* Whole lines: left alone. */
	TAIL("", "");
	TAIL(L1, L1);
	TAIL("hello\n", "hello\n");
	/* A torn line of spawnwatch's, JSON or ECS: cut. */
	TAIL(L1 L2 "{\"ts\":\"2026-12-07T09:29:28", L1 L2);
	TAIL(L1 "{", L1);
	TAIL(L1 "{\"t", L1);
	TAIL(L1 "{\"@timest", L1);
	TAIL(E1 "{\"@timestamp\":\"2026", E1);
	TAIL(E1 "{\"ts\":\"2026", E1);
	/* Not ours: never cut, only ended, so that the next line is whole. */
	TAIL("config line\nlast line", "config line\nlast line\n");
	TAIL(L1 "last line", L1 "last line\n");
	TAIL(L1 "{\"x\":1", L1 "{\"x\":1\n");
	TAIL(L1 "{\"ts\":\"a\tb", L1 "{\"ts\":\"a\tb\n");
	TAIL("{\"ts\":\"2026", "{\"ts\":\"2026\n");	/* no whole line */
	TAIL("x\n{\"ts\":\"2026", "x\n{\"ts\":\"2026\n");
	/* A text log: its lines tell nothing, so it is never cut. */
	TAIL("12:01:00.000000 fork 601 600 root /usr/sbin/cron -f\n12:01:00.0",
	     "12:01:00.000000 fork 601 600 root /usr/sbin/cron -f\n12:01:00.0\n");
#undef TAIL
}

/* A half line longer than the look-back: not known as ours, not cut. */
static void test_tail_far(void **state)
{
	size_t n = (9u << 20) + 100;
	char *big = malloc(n);
	int fd;

	assert_non_null(big);
	memset(big, 'a', n);
	memcpy(big, L1, sizeof(L1) - 1);
	big[n - 1] = '{';
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, big, n), (ssize_t)n);
	close(fd);
	free(big);
	assert_int_equal(open_as(SW_OUTPUT_NO_OWNER), 0);
	assert_int_equal(lseek(o.fd, 0, SEEK_END), (off_t)n + 1);
}

/* SIGHUP: a path that fails the checks keeps the old file written. */
static void test_reopen(void **state)
{
	char moved[160];

	snprintf(moved, sizeof(moved), "%s.1", path);
	assert_int_equal(open_as(SW_OUTPUT_NO_OWNER), 0);
	write_line(L1);
	assert_int_equal(rename(path, moved), 0);
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_int_equal(sw_buf_puts(&o.buf, L2), 0);
	assert_int_equal(sw_output_reopen(&o, why, sizeof(why)), 1);
	assert_non_null(strstr(why, "FIFO"));
	write_line(L1);
	assert_string_equal(slurp(moved, NULL), L1 L2 L1);
	/* Then a good path again: the new file from here on. */
	assert_int_equal(unlink(path), 0);
	assert_int_equal(sw_output_reopen(&o, why, sizeof(why)), 0);
	assert_true(o.created);
	write_line(L2);
	assert_string_equal(slurp(path, NULL), L2);
	assert_string_equal(slurp(moved, NULL), L1 L2 L1);
	/* Standard output has nothing to reopen. */
	sw_output_close(&o);
	assert_int_equal(sw_output_open(&o, NULL, SW_OUTPUT_NO_OWNER, why,
					sizeof(why)), 0);
	assert_int_equal(sw_output_reopen(&o, why, sizeof(why)), 0);
	o.fd = -1;
}

static enum sw_output_kind kind(const char *line)
{
	size_t n = strlen(line);

	return sw_output_own_line(line, n, n ? line[n - 1] : 0);
}

static void test_own_line(void **state)
{
	char e1[] = E1;

	e1[sizeof(e1) - 2] = '\0';	/* without its newline */
	assert_int_equal(kind("{\"ts\":\"2026-12-07T09:29:26.123456789Z\",\"seq\":1,\"host\":\"h\"}"),
			 SW_OUTPUT_JSON);
	assert_int_equal(kind("{\"ts\":\"2026-12-07T09:29:26Z\",\"seq\":10,\"host\":\"\"}"),
			 SW_OUTPUT_JSON);
	assert_int_equal(kind(e1), SW_OUTPUT_ECS);
	/* Each part wrong in turn. */
	assert_int_equal(kind("{\"ts\":\"2026-12-07T09:29:26.1Z\",\"seq\":1,\"host\":\"h\""),
			 SW_OUTPUT_FOREIGN);
	assert_int_equal(kind("{\"ts\":\"2026-12-07 09:29:26.1Z\",\"seq\":1,\"host\":\"h\"}"),
			 SW_OUTPUT_FOREIGN);
	assert_int_equal(kind("{\"ts\":\"2026-12-07T09:29:26.1\",\"seq\":1,\"host\":\"h\"}"),
			 SW_OUTPUT_FOREIGN);
	assert_int_equal(kind("{\"ts\":\"2026-12-07T09:29:26.1Z\",\"seq\":01,\"host\":\"h\"}"),
			 SW_OUTPUT_FOREIGN);
	assert_int_equal(kind("{\"ts\":\"2026-12-07T09:29:26.1Z\",\"seq\":,\"host\":\"h\"}"),
			 SW_OUTPUT_FOREIGN);
	assert_int_equal(kind("{\"ts\":\"2026-12-07T09:29:26.1Z\",\"seq\":1}"),
			 SW_OUTPUT_FOREIGN);
	assert_int_equal(kind("{\"ts\":\"2026\"}"), SW_OUTPUT_FOREIGN);
	assert_int_equal(kind("{\"ts\":\""), SW_OUTPUT_FOREIGN);
	assert_int_equal(kind("{}"), SW_OUTPUT_FOREIGN);
	assert_int_equal(kind("}"), SW_OUTPUT_FOREIGN);
	assert_int_equal(kind("{\"@timestamp\":\"2026-12-07T09:29:26Z\",\"ecs\":{\"version\":\"8\"},"
			      "\"event\":{\"kind\":\"event\",\"module\":\"other\"}}"),
			 SW_OUTPUT_FOREIGN);
	/* Torn tails. */
	assert_true(sw_output_own_torn(SW_OUTPUT_JSON, "{", 1));
	assert_true(sw_output_own_torn(SW_OUTPUT_JSON, "{\"ts\":\"20", 9));
	assert_true(sw_output_own_torn(SW_OUTPUT_ECS, "{\"@", 3));
	assert_false(sw_output_own_torn(SW_OUTPUT_FOREIGN, "{", 1));
	assert_false(sw_output_own_torn(SW_OUTPUT_JSON, "", 0));
	assert_false(sw_output_own_torn(SW_OUTPUT_JSON, "x", 1));
	assert_false(sw_output_own_torn(SW_OUTPUT_JSON, "{\"ts\":\"\x1b", 8));
	assert_false(sw_output_own_torn(SW_OUTPUT_JSON, "{\"tz\":\"", 7));
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_create), T(test_existing_mode), T(test_symlink),
		T(test_fifo), T(test_directory), T(test_device),
		T(test_hard_link), T(test_owner), T(test_chown_created_only),
		T(test_tail), T(test_tail_far), T(test_reopen),
		T(test_own_line),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
