/* SPDX-License-Identifier: MIT */
/*
 * spawnwatch: argv → options → pipeline.  The only place that prints an
 * error and chooses the exit status.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "opts.h"
#include "watch.h"

static int usage_error(const char *msg)
{
	fprintf(stderr, "spawnwatch: %s\nTry 'spawnwatch --help'.\n", msg);
	return 2;
}

int main(int argc, char **argv)
{
	struct sw_opts opts;
	struct sw_error err = { { 0 } };
	char msg[256];
	int status;

	if (argc > 1 && (strcmp(argv[1], "forest") == 0 ||
			 strcmp(argv[1], "replay") == 0)) {
		snprintf(msg, sizeof(msg), "'%s' is not available in this version",
			 argv[1]);
		return usage_error(msg);
	}
	if (sw_opts_parse(argc, argv, &opts, msg, sizeof(msg)) < 0)
		return usage_error(msg);
	if (opts.help) {
		fputs(sw_opts_usage, stdout);
		return 0;
	}
	if (opts.version) {
		puts(PACKAGE_STRING);
		return 0;
	}
	status = sw_watch_run(&opts, &err);
	if (status != 0 && err.msg[0])
		fprintf(stderr, "spawnwatch: %s\n", err.msg);
	return status;
}
