/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "output.h"

static int open_file(const char *path)
{
	/* Command lines can hold secrets: owner-only. */
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC,
		      0600);

	return fd < 0 ? -errno : fd;
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
