/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "output.h"

/* How far back a torn last line, and the line before it, are looked for. */
#define TAIL_MAX (8 << 20)
/* Enough of a line to know it: ECS names its module in its first 300. */
#define HEAD_MAX 512

#define JSON_OPEN "{\"ts\":\""
#define ECS_OPEN "{\"@timestamp\":\""
#define ECS_MODULE ",\"module\":\"spawnwatch\",\"dataset\":\"spawnwatch.process\"}"

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Steps over lit at head[*at], if it is there. */
static bool take(const char *head, size_t n, size_t *at, const char *lit)
{
	size_t len = strlen(lit);

	if (n - *at < len || memcmp(head + *at, lit, len) != 0)
		return false;
	*at += len;
	return true;
}

/* "2026-12-07T09:29:26.123456789Z" and its closing quote (sw_emit_ts()). */
static bool take_ts(const char *head, size_t n, size_t *at)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:dd";
	size_t i = *at;

	if (n - i < sizeof(shape) + 1)
		return false;
	for (size_t k = 0; k < sizeof(shape) - 1; k++, i++)
		if (shape[k] == 'd' ? !is_digit(head[i]) : head[i] != shape[k])
			return false;
	if (head[i] == '.')
		for (i++; i < n && is_digit(head[i]); i++)
			;
	*at = i;
	return take(head, n, at, "Z\"");
}

/* One or more digits, and a first one that is not 0 unless alone. */
static bool take_number(const char *head, size_t n, size_t *at)
{
	size_t i = *at;

	while (i < n && is_digit(head[i]))
		i++;
	if (i == *at || (head[*at] == '0' && i - *at > 1))
		return false;
	*at = i;
	return true;
}

static bool json_head(const char *head, size_t n)
{
	size_t at = 0;

	return take(head, n, &at, JSON_OPEN) && take_ts(head, n, &at) &&
	       take(head, n, &at, ",\"seq\":") && take_number(head, n, &at) &&
	       take(head, n, &at, ",\"host\":\"");
}

static bool ecs_head(const char *head, size_t n)
{
	size_t at = 0;

	if (!take(head, n, &at, ECS_OPEN) || !take_ts(head, n, &at) ||
	    !take(head, n, &at, ",\"ecs\":{\"version\":\""))
		return false;
	while (at < n && (is_digit(head[at]) || head[at] == '.'))
		at++;
	return take(head, n, &at, "\"},\"event\":{\"kind\":\"") &&
	       memmem(head + at, n - at, ECS_MODULE, strlen(ECS_MODULE));
}

enum sw_output_kind sw_output_own_line(const char *head, size_t n, char last)
{
	if (last != '}')
		return SW_OUTPUT_FOREIGN;
	if (json_head(head, n))
		return SW_OUTPUT_JSON;
	if (ecs_head(head, n))
		return SW_OUTPUT_ECS;
	return SW_OUTPUT_FOREIGN;
}

static bool opens(const char *tail, size_t n, const char *open)
{
	size_t len = strlen(open);

	return memcmp(tail, open, n < len ? n : len) == 0;
}

bool sw_output_own_torn(enum sw_output_kind kind, const char *tail, size_t n)
{
	if (kind == SW_OUTPUT_FOREIGN || n == 0)
		return false;
	/* JSON escapes every control byte: none is in a line of ours. */
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)tail[i] < 0x20)
			return false;
	/* A log may hold a JSON run and an ECS run, one after the other. */
	return opens(tail, n, JSON_OPEN) || opens(tail, n, ECS_OPEN);
}

/*
 * The offset of the last newline in [floor, end), or -1.  *ctl tells
 * whether a control byte lies after it.
 */
static off_t newline_before(int fd, off_t end, off_t floor, bool *ctl)
{
	char buf[4096];

	*ctl = false;
	for (off_t pos = end; pos > floor;) {
		size_t n = pos - floor > (off_t)sizeof(buf) ? sizeof(buf)
							    : (size_t)(pos - floor);

		if (pread(fd, buf, n, pos - (off_t)n) != (ssize_t)n)
			return -1;
		for (size_t i = n; i-- > 0;) {
			if (buf[i] == '\n')
				return pos - (off_t)n + (off_t)i;
			if ((unsigned char)buf[i] < 0x20)
				*ctl = true;
		}
		pos -= (off_t)n;
	}
	return -1;
}

static off_t floor_of(off_t end)
{
	return end > TAIL_MAX ? end - TAIL_MAX : 0;
}

/*
 * Whether the bytes after the newline at nl (to size) are a torn line of
 * spawnwatch's: the whole line before them is one of its JSON or ECS lines
 * and they begin as a line of that kind does.
 */
static bool torn_own_line(int fd, off_t nl, off_t size)
{
	char head[HEAD_MAX], last;
	off_t start;
	ssize_t n;
	bool ctl;
	enum sw_output_kind kind;

	start = newline_before(fd, nl, floor_of(nl), &ctl) + 1;
	if (start == 0 && floor_of(nl) > 0)
		return false;	/* its beginning is too far back to tell */
	if (start >= nl || pread(fd, &last, 1, nl - 1) != 1)
		return false;
	n = pread(fd, head, nl - start < HEAD_MAX ? (size_t)(nl - start) : HEAD_MAX,
		  start);
	if (n <= 0)
		return false;
	kind = sw_output_own_line(head, (size_t)n, last);
	n = pread(fd, head, size - nl - 1 < HEAD_MAX ? (size_t)(size - nl - 1)
						      : HEAD_MAX, nl + 1);
	return n > 0 && sw_output_own_torn(kind, head, (size_t)n);
}

/*
 * A run killed by SIGKILL in the middle of a write can leave half a line:
 * the kernel ends a write to a file between two pages when the writer must
 * die, and nothing in user space can prevent it.  So before appending, a
 * file that does not end with a newline is cut back to its last whole line
 * when that half line is spawnwatch's own (see torn_own_line()).  Any other
 * file is never cut: it is only ended with a newline, so that the first
 * line written is whole.  A text log is such a file: its lines are for
 * people, who can read a half line, and nothing in them tells
 * spawnwatch's from another program's.
 */
static void end_tail(int fd, off_t size)
{
	char c;
	bool ctl;
	off_t nl;

	if (size == 0 || pread(fd, &c, 1, size - 1) != 1 || c == '\n')
		return;
	nl = newline_before(fd, size, floor_of(size), &ctl);
	if (nl >= 0 && !ctl && torn_own_line(fd, nl, size) &&
	    ftruncate(fd, nl + 1) == 0)
		return;
	/* A write that fails here fails again, and is reported, at the flush. */
	(void)!write(fd, "\n", 1);
}

/*
 * Opens path without following a symbolic link, blocking on a FIFO or
 * taking a terminal; creates it (exclusively, so that *created tells the
 * truth) when it is not there.
 */
static int open_path(const char *path, bool *created)
{
	const int flags = O_RDWR | O_APPEND | O_NOFOLLOW | O_NONBLOCK |
			  O_NOCTTY | O_CLOEXEC;

	for (int tries = 0; tries < 3; tries++) {
		int fd = open(path, flags | O_CREAT | O_EXCL, 0600), err;

		*created = fd >= 0;
		if (fd >= 0)
			return fd;
		err = errno;
		/* There already (or uncreatable here: a directory not ours). */
		fd = open(path, flags);
		if (fd >= 0)
			return fd;
		if (errno != ENOENT)
			return -errno;
		if (err != EEXIST)
			return -err;
		/* Removed between the two opens: again. */
	}
	return -ENOENT;
}

static const char *type_name(mode_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFDIR: return "a directory";
	case S_IFIFO: return "a FIFO";
	case S_IFSOCK: return "a socket";
	case S_IFCHR: return "a character device";
	case S_IFBLK: return "a block device";
	default: return "not a regular file";
	}
}

static int failed(char *why, size_t whylen, const char *what)
{
	int err = errno;

	snprintf(why, whylen, "%s: %s", what, strerror(err));
	return -err;
}

/* The file open at fd may be written: 0, or -errno with the reason. */
static int check_file(const struct sw_output *o, int fd, struct stat *st,
		      char *why, size_t whylen)
{
	if (fstat(fd, st) < 0)
		return failed(why, whylen, "cannot stat it");
	if (!S_ISREG(st->st_mode)) {
		snprintf(why, whylen, "it is %s, not a regular file",
			 type_name(st->st_mode));
		return -EINVAL;
	}
	if (st->st_nlink != 1) {
		if (st->st_nlink == 0)
			snprintf(why, whylen, "it was removed as it was opened");
		else
			snprintf(why, whylen, "it has %ju hard links, so another "
				 "name reaches the same file",
				 (uintmax_t)st->st_nlink);
		return -EMLINK;
	}
	if (st->st_uid != 0 && st->st_uid != geteuid() && st->st_uid != o->owner) {
		snprintf(why, whylen, "it belongs to uid %ju, not to root%s",
			 (uintmax_t)st->st_uid,
			 o->owner != SW_OUTPUT_NO_OWNER ? " or the --run-as user" : "");
		return -EPERM;
	}
	/* Command lines can hold secrets: owner-only, whatever it was. */
	if ((st->st_mode & 07777) != 0600 && fchmod(fd, 0600) < 0)
		return failed(why, whylen, "cannot make it mode 0600");
	/* Only the open was not to block; writes to a file never do. */
	if (fcntl(fd, F_SETFL, O_APPEND) < 0)
		return failed(why, whylen, "cannot set its flags");
	return 0;
}

static int open_file(const struct sw_output *o, bool *created, char *why,
		     size_t whylen)
{
	char reason[160];
	struct stat st;
	int fd = open_path(o->path, created), r;

	if (fd < 0) {
		snprintf(why, whylen, "cannot open %s: %s", o->path,
			 fd == -ELOOP ? "it is a symbolic link" : strerror(-fd));
		return fd;
	}
	r = check_file(o, fd, &st, reason, sizeof(reason));
	if (r < 0) {
		close(fd);
		snprintf(why, whylen, "refusing %s: %s", o->path, reason);
		return r;
	}
	end_tail(fd, st.st_size);
	return fd;
}

int sw_output_open(struct sw_output *o, const char *path, uid_t owner,
		   char *why, size_t whylen)
{
	int fd;

	o->path = path;
	o->owner = owner;
	o->created = false;
	o->buf = (struct sw_buf){ 0 };
	fd = path ? open_file(o, &o->created, why, whylen) : STDOUT_FILENO;
	o->fd = fd < 0 ? -1 : fd;
	return fd < 0 ? fd : 0;
}

int sw_output_reopen(struct sw_output *o, char *why, size_t whylen)
{
	bool created;
	int fd, r;

	if (!o->path)
		return 0;
	/* Lines already formatted belong to the old file. */
	r = sw_output_flush(o);
	if (r < 0)
		return r;
	fd = open_file(o, &created, why, whylen);
	if (fd < 0)
		return 1;	/* the old file is still open, and written */
	close(o->fd);
	o->fd = fd;
	o->created = created;
	return 0;
}

/*
 * A write failed after `done` bytes (a full disk): a file must not end in
 * half a line, so the bytes after the last whole line written go.  (A pipe
 * cannot be cut; its reader sees the end of the stream anyway.)
 */
static void cut_partial(struct sw_output *o, size_t done)
{
	size_t whole = done;
	off_t end;

	while (whole > 0 && o->buf.data[whole - 1] != '\n')
		whole--;
	if (whole == done || !o->path)
		return;
	end = lseek(o->fd, 0, SEEK_END);
	if (end >= (off_t)(done - whole) &&
	    ftruncate(o->fd, end - (off_t)(done - whole)) < 0)
		return;	/* nothing more to do: the error is reported anyway */
}

int sw_output_flush(struct sw_output *o)
{
	size_t done = 0;

	while (done < o->buf.len) {
		ssize_t n = write(o->fd, o->buf.data + done, o->buf.len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int err = -errno;

			cut_partial(o, done);
			o->buf.len = 0;
			return err;
		}
		done += (size_t)n;
	}
	o->buf.len = 0;
	return 0;
}

void sw_output_close(struct sw_output *o)
{
	if (o->path && o->fd >= 0)
		close(o->fd);
	o->fd = -1;
	sw_buf_free(&o->buf);
}
