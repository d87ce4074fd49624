/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer entry point for the rules file reader: any bytes are a rules
 * file, read through fmemopen() as spawnwatch reads --rules FILE, then
 * printed as --check prints the rules in effect.
 * Seeds: tests/fuzz/rules/, contrib/spawnwatch.rules, the golden rules of
 * tests/replay/ and a few broken files.
 *
 * What is checked besides ASan/UBSan, from rulefile.h: the problems are
 * counted (>= 0, or -1 for out of memory) and err is a NUL-terminated
 * string within errlen that is empty when there are none; and a file read
 * without problems prints as a rules file that reads back, without
 * problems, to the same rules (printed identically).
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rulefile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* What --check prints; NULL when out of memory. */
static char *print(const struct sw_rules *r, size_t *len)
{
	char *text = NULL;
	FILE *f = open_memstream(&text, len);

	if (!f)
		return NULL;
	sw_rulefile_print(r, f);
	if (fclose(f) != 0) {
		free(text);
		return NULL;
	}
	return text;
}

static int read_rules(const void *text, size_t len, struct sw_rules *r,
		      char *err, size_t errlen)
{
	FILE *f;
	int n;

	f = fmemopen((void *)(len ? text : ""), len, "r");
	if (!f) {
		sw_rules_defaults(r);	/* nothing to free */
		return -1;
	}
	n = sw_rulefile_read(f, "fuzz.rules", r, err, errlen);
	fclose(f);
	if (n < -1 || !memchr(err, '\0', errlen) || (n == 0 && err[0]))
		abort();
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char err[4096];
	struct sw_rules r, again;
	char *a, *b;
	size_t alen, blen;
	int n;

	n = read_rules(data, size, &r, err, sizeof(err));
	if (n < 0) {
		sw_rules_free(&r);
		return 0;
	}
	a = print(&r, &alen);
	sw_rules_free(&r);
	if (!a || n > 0) {
		/* With problems r holds what could be read: printed, not judged. */
		free(a);
		return 0;
	}
	/* rulefile.h: the effective rules as a file that reads back the same. */
	if (read_rules(a, alen, &again, err, sizeof(err)) != 0) {
		fprintf(stderr, "printed rules read back with problems:\n%s---\n%s",
			err, a);
		abort();
	}
	b = print(&again, &blen);
	sw_rules_free(&again);
	if (b && (alen != blen || memcmp(a, b, alen) != 0)) {
		fprintf(stderr, "printed rules read back differently:\n%s---\n%s",
			a, b);
		abort();
	}
	free(a);
	free(b);
	return 0;
}
