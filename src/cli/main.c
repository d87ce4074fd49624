/* SPDX-License-Identifier: MIT */
/*
 * spawnwatch: argv → options → pipeline.  The only place that prints an
 * error and chooses the exit status.
 */
#include "config.h"

#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "forest.h"
#include "opts.h"
#include "privdrop.h"
#include "replay.h"
#include "rulefile.h"
#include "watch.h"

static int usage_error(const char *msg)
{
	fprintf(stderr, "spawnwatch: %s\nTry 'spawnwatch --help'.\n", msg);
	return 2;
}

/* The rules: built in, or read from --rules FILE.  Status 2 when wrong. */
static int load_rules(const struct sw_opts *opts, struct sw_rules *rules)
{
	char errs[4096];
	FILE *f;
	int n;

	if (!opts->rules) {
		sw_rules_defaults(rules);
		return 0;
	}
	f = fopen(opts->rules, "re");
	if (!f) {
		fprintf(stderr, "spawnwatch: cannot read rules file %s: %s\n",
			opts->rules, strerror(errno));
		return 2;
	}
	n = sw_rulefile_read(f, opts->rules, rules, errs, sizeof(errs));
	fclose(f);
	if (n < 0) {
		fprintf(stderr, "spawnwatch: out of memory reading %s\n", opts->rules);
		return 1;
	}
	if (n > 0) {
		fputs(errs, stderr);
		fprintf(stderr, "spawnwatch: %s: %d problem%s; nothing was started\n",
			opts->rules, n, n == 1 ? "" : "s");
		return 2;
	}
	return 0;
}

/*
 * --run-as USER: a user that other processes run as (or may: root, nobody,
 * a login) could kill spawnwatch.  Prints why and returns true to refuse.
 */
static bool refuse_shared(const struct sw_opts *opts, const struct passwd *pw)
{
	int other = sw_privdrop_uid_in_use(pw->pw_uid, (int)getpid());
	const char *why = sw_privdrop_shared(pw->pw_uid, pw->pw_gid, pw->pw_name,
					     pw->pw_shell, other);

	if (other < 0) {
		fprintf(stderr, "spawnwatch: --run-as %s: cannot tell which users "
			"processes run as: /proc: %s\n", opts->run_as, strerror(-other));
		return true;
	}
	if (!why)
		return false;
	fprintf(stderr, "spawnwatch: --run-as %s: %s", opts->run_as, why);
	if (other > 0 && strncmp(why, "another", 7) == 0)
		fprintf(stderr, " (pid %d)", other);
	fputs(", so any process that runs as it can kill spawnwatch and blind "
	      "it; give spawnwatch a user of its own (useradd --system), or "
	      "--run-as-shared\n", stderr);
	return true;
}

int main(int argc, char **argv)
{
	struct sw_opts opts;
	struct sw_error err = { { 0 } };
	struct sw_rules rules = { 0 };
	char msg[256];
	int status;

	if (sw_opts_parse(argc, argv, &opts, msg, sizeof(msg)) < 0)
		return usage_error(msg);
	opts.charset = sw_text_locale();
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
	if (opts.run_as) {
		struct passwd *pw = getpwnam(opts.run_as);

		if (!pw) {
			snprintf(msg, sizeof(msg), "unknown user '%s' for --run-as",
				 opts.run_as);
			return usage_error(msg);
		}
		opts.run_uid = pw->pw_uid;
		opts.run_gid = pw->pw_gid;
		/* Before the subscription, whose refusal would hide this. */
		if (geteuid() != 0) {
			fprintf(stderr, "spawnwatch: --run-as: only root can switch "
				"to another user\n");
			return 1;
		}
		if (!opts.run_as_shared && refuse_shared(&opts, pw))
			return 1;
	}
	if ((status = load_rules(&opts, &rules)) != 0) {
		sw_rules_free(&rules);
		return status;
	}
	if (opts.check) {
		printf("# spawnwatch %s: the rules in effect (%s)\n", PACKAGE_VERSION,
		       opts.rules ? opts.rules : "built-in defaults");
		sw_rulefile_print(&rules, stdout);
		status = fflush(stdout) == 0 ? 0 : 1;
	} else if (opts.cmd == SW_CMD_FOREST) {
		status = sw_forest_run(&opts, &rules, &err);
	} else if (opts.cmd == SW_CMD_REPLAY) {
		status = sw_replay_run(&opts, &rules, &err);
	} else {
		status = sw_watch_run(&opts, &rules, &err);
	}
	sw_rules_free(&rules);
	if (status != 0 && err.msg[0])
		fprintf(stderr, "spawnwatch: %s\n", err.msg);
	return status;
}
