/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer entry point for the JSON-lines reader: any bytes are one line.
 * Seeds: tests/fuzz/jsonin/, one line of each kind as the emitter writes it.
 * Built by ./configure --enable-fuzzing (CC=clang), run by tests/fuzz/run.sh.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jsonin.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Reads every byte a caller may read, so that ASan checks the promises. */
static size_t touch(const char *s)
{
	return s ? strlen(s) : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sw_jsonin *in;
	static struct sw_event ev;
	const char *tags[SW_TAGS_MAX];
	volatile size_t sink = 0;
	unsigned n_tags;
	char err[128];
	char *line;
	int r;

	if (!in && !(in = sw_jsonin_new()))
		abort();
	/* An exact-size copy: a read past len is an ASan report. */
	line = malloc(size ? size : 1);
	if (!line)
		return 0;
	memcpy(line, data, size);
	r = sw_jsonin_parse(in, line, size, &ev, err, sizeof(err));
	free(line);	/* nothing of ev may point into the line */

	if (r < 0) {
		if (!err[0] || strlen(err) >= sizeof(err))
			abort();
		return 0;
	}
	if (r > 0)
		return 0;
	if (ev.type >= SW_EV_ACK || ev.n_ancestry > SW_ANCESTRY_MAX)
		abort();
	sink += touch(ev.comm) + touch(ev.exe) + touch(ev.cwd) +
		touch(ev.user) + touch(ev.container_id) +
		touch(ev.container_runtime);
	for (size_t i = 0; i < ev.argv_len; i++)
		sink += (unsigned char)ev.argv[i];
	if (ev.argv_len && ev.argv[ev.argv_len - 1] != '\0')
		abort();
	for (unsigned i = 0; i < ev.n_ancestry; i++)
		sink += touch(ev.ancestry[i].comm) + touch(ev.ancestry[i].exe);
	if (ev.type == SW_EV_PTRACE)
		sink += touch(ev.u.ptrace.tracer_comm);
	if (ev.type == SW_EV_ANOMALY)
		sink += touch(ev.u.anomaly.tag);
	/* What the writers cut to an integer is in their range. */
	if ((ev.have & SW_HAVE_DURATION) &&
	    !(ev.duration_s >= 0 && ev.duration_s <= SW_DURATION_MAX_S))
		abort();
	if (ev.type == SW_EV_ANOMALY &&
	    !(ev.u.anomaly.oldest_s >= 0 &&
	      ev.u.anomaly.oldest_s <= SW_DURATION_MAX_S))
		abort();
	if (ev.type == SW_EV_LOST)
		sink += touch(ev.u.lost.reason);
	if (ev.type == SW_EV_COMM &&
	    (strlen(ev.u.comm.comm) > SW_COMM_LEN ||
	     strlen(ev.u.comm.prev) > SW_COMM_LEN))
		abort();
	n_tags = sw_jsonin_tags(in, tags, SW_TAGS_MAX);
	if (n_tags > SW_TAGS_MAX)
		abort();
	for (unsigned i = 0; i < n_tags; i++)
		sink += touch(tags[i]);
	sink += touch(sw_jsonin_host(in));
	(void)sink;
	return 0;
}
