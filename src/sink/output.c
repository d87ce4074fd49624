/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "output.h"

/* How far back a torn last line is looked for (a line holds argv). */
#define TAIL_MAX (8 << 20)

/*
 * A run killed by SIGKILL in the middle of a write can leave half a line:
 * the kernel ends a write to a file between two pages when the writer must
 * die, and nothing in user space can prevent it.  So before appending, a
 * file that does not end with a newline is cut back to its last whole line
 * (left alone if none is found near the end: then it is not a log of ours).
 */
static void cut_torn_tail(int fd)
{
	char buf[4096];
	struct stat st;
	off_t pos;

	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size == 0)
		return;
	for (pos = st.st_size; pos > 0 && st.st_size - pos < TAIL_MAX;) {
		size_t n = pos > (off_t)sizeof(buf) ? sizeof(buf) : (size_t)pos;
		ssize_t r = pread(fd, buf, n, pos - (off_t)n);

		if (r != (ssize_t)n)
			return;
		for (size_t i = n; i-- > 0;) {
			if (buf[i] != '\n')
				continue;
			if (pos - (off_t)n + (off_t)i + 1 < st.st_size &&
			    ftruncate(fd, pos - (off_t)n + (off_t)i + 1) < 0)
				return;	/* appending still works; nothing to add */
			return;
		}
		pos -= (off_t)n;
	}
}

static int open_file(const char *path)
{
	/* Command lines can hold secrets: owner-only.  Read too, for the tail. */
	int fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC,
		      0600);

	if (fd < 0)
		return -errno;
	cut_torn_tail(fd);
	return fd;
}

int sw_output_open(struct sw_output *o, const char *path)
{
	o->path = path;
	o->buf = (struct sw_buf){ 0 };
	o->fd = path ? open_file(path) : STDOUT_FILENO;
	return o->fd < 0 ? o->fd : 0;
}

int sw_output_reopen(struct sw_output *o)
{
	int fd, r;

	if (!o->path)
		return 0;
	/* Lines already formatted belong to the old file. */
	r = sw_output_flush(o);
	if (r < 0)
		return r;
	fd = open_file(o->path);
	if (fd < 0)
		return fd;
	close(o->fd);
	o->fd = fd;
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
