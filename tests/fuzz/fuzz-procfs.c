/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer entry point for the /proc text parsers: any bytes are, all at
 * once, the text of /proc/PID/stat, /proc/PID/status and /proc/PID/cgroup
 * (sw_procfs_parse_stat, sw_procfs_parse_status, sw_container_parse, each
 * on an exact-size copy that is not NUL-terminated, as procfs.c hands
 * them what it read) and a namespace link (sw_procfs_parse_ns, on a
 * NUL-terminated copy, as readlink gives it); and the descriptor and
 * socket parsers of conn.c: a /proc/PID/fd link, an fdinfo file, each line
 * of the inet socket tables read as tcp, tcp6, udp and udp6 (a pass looking
 * for inodes the input names).  One target for them all:
 * they are small, and a seed of one kind is a hostile input for the others.
 * Seeds: tests/fuzz/procfs/, real files of this kind of machine, and the
 * cgroup layouts of the container runtimes test-container.c knows.
 *
 * The command line (/proc/PID/cmdline) has no parser of its own to fuzz:
 * sw_procfs_snap() reads it with read() and only ends a cut line on a NUL,
 * inline; the escaping of its bytes is emit's job.
 *
 * What is checked besides ASan/UBSan: the parsers are pure (the same bytes
 * give the same result), their strings stay inside their arrays, and the
 * shapes container.h promises for a container id.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "conn.h"
#include "safefs.h"
#include "container.h"
#include "procfs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_stat(const char *buf, size_t len)
{
	struct sw_proc_stat a, b;
	int r = sw_procfs_parse_stat(buf, len, &a);

	if (r != 0 && r != -EINVAL)
		abort();
	if (!memchr(a.comm, '\0', sizeof(a.comm)))
		abort();
	if (sw_procfs_parse_stat(buf, len, &b) != r ||
	    memcmp(&a, &b, sizeof(a)) != 0)
		abort();
}

static void check_status(const char *buf, size_t len)
{
	struct sw_proc_status a, b;
	int r = sw_procfs_parse_status(buf, len, &a);

	if (r != 0 && r != -EINVAL)
		abort();
	if (sw_procfs_parse_status(buf, len, &b) != r ||
	    memcmp(&a, &b, sizeof(a)) != 0)
		abort();
}

static void check_ns(const uint8_t *data, size_t size)
{
	char *link = malloc(size + 1);
	uint64_t ino;
	size_t n;

	if (!link)
		return;
	memcpy(link, data, size);
	link[size] = '\0';
	if (sw_procfs_parse_ns(link, &ino) == 0) {
		/* "type:[inode]": nothing after the closing bracket. */
		n = strlen(link);
		if (n < 3 || link[n - 1] != ']' || !strchr(link, '['))
			abort();
	}
	free(link);
}

static int is_hex(const char *s, size_t n)
{
	return strspn(s, "0123456789abcdef") >= n;
}

/* The id shapes of container.h, per runtime. */
static void check_container(const char *buf, size_t len)
{
	static const char *const hex_runtimes[] = {
		"docker", "containerd", "cri-o", "podman",
	};
	struct sw_container c, d;
	int r = sw_container_parse(buf, len, &c);
	size_t n, i;

	if (sw_container_parse(buf, len, &d) != r || memcmp(&c, &d, sizeof(c)))
		abort();
	if (r == 0) {
		/* Not a container: *ret is cleared. */
		for (i = 0; i < sizeof(c.id); i++)
			if (c.id[i])
				abort();
		if (c.runtime)
			abort();
		return;
	}
	if (r != 1 || !c.runtime)
		abort();
	n = strnlen(c.id, sizeof(c.id));
	if (n < 1 || n > SW_CONTAINER_ID_MAX)
		abort();
	for (i = 0; i < sizeof(hex_runtimes) / sizeof(hex_runtimes[0]); i++)
		if (strcmp(c.runtime, hex_runtimes[i]) == 0 &&
		    (n != 64 || !is_hex(c.id, n)))
			abort();
	if (strcmp(c.runtime, "kubepods") == 0) {
		/* 64 hex digits, a UUID (its '_' read as '-') or 32 digits. */
		if (n == 36) {
			for (i = 0; i < n; i++)
				if ((i == 8 || i == 13 || i == 18 || i == 23)
					    ? c.id[i] != '-' : !is_hex(c.id + i, 1))
					abort();
		} else if ((n != 64 && n != 32) || !is_hex(c.id, n)) {
			abort();
		}
	} else if (strcmp(c.runtime, "lxc") == 0) {
		for (i = 0; i < n; i++)
			if ((unsigned char)c.id[i] <= ' ' ||
			    (unsigned char)c.id[i] >= 0x7f || c.id[i] == '/')
				abort();
	} else {
		for (i = 0; i < sizeof(hex_runtimes) / sizeof(hex_runtimes[0]); i++)
			if (strcmp(c.runtime, hex_runtimes[i]) == 0)
				break;
		if (i == sizeof(hex_runtimes) / sizeof(hex_runtimes[0]))
			abort();	/* a runtime container.h does not name */
	}
	/* The id is the path's own text (but for a slice's '_' in a UID). */
	if (n != 36 && !memmem(buf, len, c.id, n))
		abort();
}

/* A link: its kind is one of the enum's, a path fits its field. */
static void check_link(const uint8_t *data, size_t size)
{
	char *link = malloc(size + 1);
	struct sw_fd f = { .fd = 3 };

	if (!link)
		return;
	memcpy(link, data, size);
	link[size] = '\0';
	sw_conn_parse_link(link, &f);
	if (f.kind > SW_FD_OTHER || f.fd != 3 || !memchr(f.path, '\0', sizeof(f.path)))
		abort();
	if ((f.kind == SW_FD_SOCKET || f.kind == SW_FD_PIPE) && !f.ino)
		abort();
	if (f.path[0] && strcmp(f.path, link) != 0)
		abort();
	free(link);
}

static void check_fdinfo(const char *buf, size_t len)
{
	struct sw_fd a = { .index = -1, .flags = -1 }, b = a;

	sw_conn_parse_fdinfo(buf, len, &a);
	sw_conn_parse_fdinfo(buf, len, &b);
	if (memcmp(&a, &b, sizeof(a)) || a.index < -1 || a.flags < -1 || a.mnt_id < 0)
		abort();
}

/* Every line as each table; the first inodes of the input looked for. */
static void check_tables(const char *buf, size_t len)
{
	static struct sw_sock_scan s;
	uint64_t want[4] = { 1, 0, 0, 0 };
	const char *line = buf, *end = buf + len;
	struct sw_sock_row r;
	struct sw_net_peer peer;

	for (unsigned i = 1; i < 4 && i * 8 <= len; i++)
		memcpy(&want[i], buf + len - i * 8, 8);
	sw_conn_scan_init(&s, want, 4);
	while (line < end) {
		const char *nl = memchr(line, '\n', (size_t)(end - line));
		size_t n = (size_t)((nl ? nl : end) - line);

		for (int t = 0; t < 4; t++) {
			if (sw_conn_parse_row(line, n, t & 1, &r) == 0 && r.v6 != (t & 1))
				abort();
			sw_conn_scan_line(&s, line, n, t & 1, t >= 2);
		}
		{
			uint64_t ino = 0;
			bool listening;

			/* A unix row has an inode, never 0. */
			if (sw_conn_parse_unix_row(line, n, &ino, &listening) == 0 && !ino)
				abort();
		}
		line += n + 1;
	}
	for (unsigned i = 0; i < 4; i++) {
		enum sw_sock_class c = sw_conn_scan_class(&s, i, &peer);

		if (c > SW_SOCK_CLIENT)
			abort();
		if (c == SW_SOCK_CLIENT && (!memchr(peer.peer, '\0', sizeof(peer.peer)) ||
					    !peer.peer[0] || !peer.port))
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* An exact-size copy: a read past len is an ASan report. */
	char *buf = malloc(size ? size : 1);

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	check_stat(buf, size);
	check_status(buf, size);
	check_container(buf, size);
	check_fdinfo(buf, size);
	check_tables(buf, size);
	{
		/* A mount's type, from mountinfo: a word, within the room. */
		char type[16];
		int id = size ? buf[0] % 64 : 0;

		if (sw_safefs_parse_fstype(buf, size, id, type, sizeof(type)) == 0 &&
		    (!type[0] || strlen(type) >= sizeof(type) || strchr(type, ' ')))
			abort();
	}
	free(buf);
	check_ns(data, size);
	check_link(data, size);
	return 0;
}
