/* SPDX-License-Identifier: MIT */
/*
 * spawnwatch: argv → options → pipeline.  The only place that prints an
 * error and chooses the exit status.
 */
#include "config.h"

#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "forest.h"
#include "opts.h"
#include "watch.h"

static int usage_error(const char *msg)
{
	fprintf(stderr, "spawnwatch: %s\nTry 'spawnwatch --help'.\n", msg);
	return 2;
}

/* Since Linux 6.6 anyone may subscribe; say once what that costs. */
static void warn_unprivileged(void)
{
	char rmem[32] = "?";
	FILE *f = fopen("/proc/sys/net/core/rmem_max", "re");

	if (f) {
		if (!fgets(rmem, sizeof(rmem), f))
			strcpy(rmem, "?");
		rmem[strcspn(rmem, "\n")] = '\0';
		fclose(f);
	}
	fprintf(stderr, "spawnwatch: warning: not running as root: exe and cwd of "
		"other users' processes are unreadable, and the receive buffer is "
		"capped at net.core.rmem_max (%s bytes), so a storm may lose "
		"events\n", rmem);
}

int main(int argc, char **argv)
{
	struct sw_opts opts;
	struct sw_error err = { { 0 } };
	char msg[256];
	int status;

	if (argc > 1 && strcmp(argv[1], "replay") == 0) {
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
	if (opts.user && !opts.have_uid) {
		struct passwd *pw = getpwnam(opts.user);

		if (!pw) {
			snprintf(msg, sizeof(msg), "unknown user '%s'", opts.user);
			return usage_error(msg);
		}
		opts.uid = pw->pw_uid;
		opts.have_uid = true;
	}
	if (opts.cmd == SW_CMD_FOREST) {
		status = sw_forest_run(&opts, &err);
	} else {
		if (geteuid() != 0 && !opts.quiet)
			warn_unprivileged();
		status = sw_watch_run(&opts, &err);
	}
	if (status != 0 && err.msg[0])
		fprintf(stderr, "spawnwatch: %s\n", err.msg);
	return status;
}
