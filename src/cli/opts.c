/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emit.h"
#include "event.h"
#include "opts.h"
#include "sink.h"
#include "sink_syslog.h"

const char sw_opts_usage[] =
	"Usage: spawnwatch [watch] [OPTIONS] [-- COMMAND [ARG...]]\n"
	"       spawnwatch forest [-j] [PID...]\n"
	"       spawnwatch replay [OPTIONS] [FILE|-]\n"
	"       spawnwatch [-r FILE] --check\n"
	"Watch every process the kernel forks, execs and reaps, with its lineage.\n"
	"With -- COMMAND: run COMMAND, follow its subtree, exit with its status.\n"
	"forest: print the process forest now, like ps --forest (-j: JSON).\n"
	"replay: re-run lineage and rules over a recorded --json log.\n"
	"\n"
	"Output:\n"
	"  -j, --json               JSON lines (same as --format json)\n"
	"      --format FMT         text (default), json or ecs (Elastic Common Schema)\n"
	"  -o, --output FILE        append to FILE (made 0600); reopened on SIGHUP; a symlink,\n"
	"                           FIFO, device, hard link or another user's file is refused\n"
	"      --syslog[=ADDR]      instead, each event as one RFC 5424 message to\n"
	"                           ADDR: /dev/log (default) or another socket path,\n"
	"                           udp://HOST:PORT or tcp://HOST:PORT; the message\n"
	"                           is the JSON line (the ECS one with --format ecs)\n"
	"      --journal            instead, each event to the systemd journal, the\n"
	"                           JSON line as MESSAGE and SPAWNWATCH_* fields\n"
	"      --color WHEN         auto (default), always or never\n"
	"      --ancestry N         ancestors listed per event (default 8, 0 = none)\n"
	"      --stats              print a summary on stderr at exit\n"
	"  -q, --quiet              no warnings on stderr\n"
	"Selection:\n"
	"  -p, --pid PID            only PID and its descendants, born later too\n"
	"                           (repeatable)\n"
	"      --comm NAME          only processes named NAME\n"
	"      --user USER          only processes whose effective user is USER\n"
	"  -e, --events LIST        fork,exec,exit,uid,gid,sid,ptrace,comm,coredump,\n"
	"                           reparent,all\n"
	"      --nonzero-exit       exits only when they fail (status != 0 or a signal)\n"
	"      --threads            include thread creation and exit\n"
	"  -t, --tagged             only events with anomaly tags (and lost lines)\n"
	"Rules:\n"
	"  -r, --rules FILE         anomaly rules (INI; see spawnwatch-rules(5))\n"
	"      --check              check the rules, print them in effect, stop\n"
	"Run:\n"
	"  -n, --count N            stop after N events\n"
	"  -d, --duration SECS      stop after SECS seconds\n"
	"      --rcvbuf BYTES       socket receive buffer (default 64M; K, M, G allowed)\n"
	"      --no-realtime        do not run as SCHED_FIFO (nice -5 instead)\n"
	"  -Z, --run-as USER        once subscribed, run as USER with only\n"
	"                           CAP_SYS_PTRACE (to read other users' exe, cwd);\n"
	"                           USER must be spawnwatch's own (not root, nobody,\n"
	"                           a login or a user some process runs as)\n"
	"      --run-as-shared      --run-as such a user all the same\n"
	"  -h, --help               this help\n"
	"  -V, --version            version\n"
	"\n"
	"Exit status: 0 stopped normally, 1 runtime failure, 2 usage error.\n"
	"See spawnwatch(1).\n";

enum {
	OPT_FORMAT = 256,
	OPT_COLOR,
	OPT_ANCESTRY,
	OPT_STATS,
	OPT_NONZERO,
	OPT_THREADS,
	OPT_RCVBUF,
	OPT_COMM,
	OPT_USER,
	OPT_CHECK,
	OPT_SYSLOG,
	OPT_JOURNAL,
	OPT_NO_REALTIME,
	OPT_RUN_AS_SHARED,
};


static const struct option longopts[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "output", required_argument, NULL, 'o' },
	{ "syslog", optional_argument, NULL, OPT_SYSLOG },
	{ "journal", no_argument, NULL, OPT_JOURNAL },
	{ "color", required_argument, NULL, OPT_COLOR },
	{ "colour", required_argument, NULL, OPT_COLOR },
	{ "ancestry", required_argument, NULL, OPT_ANCESTRY },
	{ "stats", no_argument, NULL, OPT_STATS },
	{ "tagged", no_argument, NULL, 't' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "events", required_argument, NULL, 'e' },
	{ "nonzero-exit", no_argument, NULL, OPT_NONZERO },
	{ "threads", no_argument, NULL, OPT_THREADS },
	{ "count", required_argument, NULL, 'n' },
	{ "duration", required_argument, NULL, 'd' },
	{ "rcvbuf", required_argument, NULL, OPT_RCVBUF },
	{ "no-realtime", no_argument, NULL, OPT_NO_REALTIME },
	{ "pid", required_argument, NULL, 'p' },
	{ "comm", required_argument, NULL, OPT_COMM },
	{ "user", required_argument, NULL, OPT_USER },
	{ "rules", required_argument, NULL, 'r' },
	{ "check", no_argument, NULL, OPT_CHECK },
	{ "run-as", required_argument, NULL, 'Z' },
	{ "run-as-shared", no_argument, NULL, OPT_RUN_AS_SHARED },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static int fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

int sw_opts_parse_events(const char *list, unsigned *ret, char *err,
			 size_t errlen)
{
	char buf[256], *save = NULL, *tok;
	unsigned mask = 0;

	if (strlen(list) >= sizeof(buf) || !*list)
		return fail(err, errlen, "invalid event list '%s'", list);
	strcpy(buf, list);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		int t = sw_event_from_name(tok);

		if (strcmp(tok, "all") == 0)
			mask |= SW_EVMASK_ALL;
		else if (t >= 0 && t < SW_EV_SELECTABLE)
			mask |= SW_EVMASK(t);
		else
			return fail(err, errlen,
				    "unknown event '%s' (fork, exec, exit, uid, gid, sid, ptrace, comm, coredump, reparent, all)",
				    tok);
	}
	if (!mask)
		return fail(err, errlen, "invalid event list '%s'", list);
	*ret = mask;
	return 0;
}

struct sw_sink_conf sw_opts_sink_conf(const struct sw_opts *o)
{
	return (struct sw_sink_conf){
		.output = o->output,
		.syslog = o->syslog,
		.journal = o->journal,
		/* replay has no clock to keep: it waits for a slow peer. */
		.patient = o->cmd == SW_CMD_REPLAY,
		.run_as = o->run_as != NULL,
		.run_uid = o->run_uid,
	};
}

int sw_opts_parse_size(const char *s, size_t *ret)
{
	char *end;
	unsigned long long v;
	unsigned shift = 0;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return -EINVAL;
	switch (*end) {
	case 'k': case 'K': shift = 10; end++; break;
	case 'm': case 'M': shift = 20; end++; break;
	case 'g': case 'G': shift = 30; end++; break;
	default: break;
	}
	if (*end || v == 0 || v > (1ull << 31) >> shift)
		return -EINVAL;
	*ret = (size_t)(v << shift);
	return 0;
}

static int parse_u64(const char *s, uint64_t *ret)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	*ret = strtoull(s, &end, 10);
	return errno || *end ? -EINVAL : 0;
}

static int parse_seconds(const char *s, double *ret)
{
	char *end;

	if ((*s < '0' || *s > '9') && *s != '.')
		return -EINVAL;
	*ret = strtod(s, &end);
	return *end || !isfinite(*ret) || *ret <= 0 || *ret > 1e9 ? -EINVAL : 0;
}

static int parse_one(int c, const char *arg, struct sw_opts *o, char *err,
		     size_t errlen)
{
	uint64_t v;

	switch (c) {
	case 'j':
		/* The registry's first JSON-lines format: json itself. */
		o->format = sw_emit_first(SW_EMIT_F_DOCUMENT)->name;
		return 0;
	case OPT_FORMAT:
		if (!sw_emit_find(arg)) {
			char names[64];

			sw_emit_names(0, ", ", names, sizeof(names));
			return fail(err, errlen, "unknown format '%s' (%s)", arg, names);
		}
		o->format = arg;
		return 0;
	case 'o':
		o->output = arg;
		return 0;
	case 'r':
		o->rules = arg;
		return 0;
	case OPT_SYSLOG: {
		struct sw_syslog_addr a;

		o->syslog = arg ? arg : SW_SYSLOG_DEFAULT;
		return sw_syslog_parse_addr(o->syslog, &a, err, errlen);
	}
	case OPT_JOURNAL:
#ifdef HAVE_LIBSYSTEMD
		o->journal = true;
		return 0;
#else
		return fail(err, errlen, "--journal: spawnwatch was built without "
			    "journal support (libsystemd)");
#endif
	case 'Z':
		if (!*arg)
			return fail(err, errlen, "invalid --run-as ''");
		o->run_as = arg;
		return 0;
	case OPT_COLOR:
		if (strcmp(arg, "auto") == 0)
			o->color = SW_COLOR_AUTO;
		else if (strcmp(arg, "always") == 0)
			o->color = SW_COLOR_ALWAYS;
		else if (strcmp(arg, "never") == 0)
			o->color = SW_COLOR_NEVER;
		else
			return fail(err, errlen, "invalid --color '%s' (auto, always, never)", arg);
		return 0;
	case OPT_ANCESTRY:
		if (parse_u64(arg, &v) < 0 || v > SW_ANCESTRY_MAX)
			return fail(err, errlen, "invalid --ancestry '%s' (0 to %d)", arg,
				    SW_ANCESTRY_MAX);
		o->ancestry = (unsigned)v;
		return 0;
	case 'e':
		return sw_opts_parse_events(arg, &o->events, err, errlen);
	case 'n':
		if (parse_u64(arg, &o->count) < 0 || o->count == 0)
			return fail(err, errlen, "invalid --count '%s' (a positive number)", arg);
		return 0;
	case 'd':
		if (parse_seconds(arg, &o->duration) < 0)
			return fail(err, errlen, "invalid --duration '%s' (seconds, > 0)", arg);
		return 0;
	case OPT_COMM:
		if (!*arg || strlen(arg) > 15)
			return fail(err, errlen, "invalid --comm '%s' (1 to 15 bytes)", arg);
		o->comm = arg;
		return 0;
	case OPT_USER:
		if (!*arg)
			return fail(err, errlen, "invalid --user ''");
		o->user = arg;
		if (parse_u64(arg, &v) == 0) {
			if (v > UINT32_MAX - 1)
				return fail(err, errlen, "invalid --user '%s'", arg);
			o->uid = (uint32_t)v;
			o->have_uid = true;
		}
		return 0;
	case OPT_RCVBUF:
		if (sw_opts_parse_size(arg, &o->rcvbuf) < 0)
			return fail(err, errlen, "invalid --rcvbuf '%s' (bytes, K/M/G suffix, at most 2G)", arg);
		return 0;
	default:
		return 1;
	}
}

static int parse_flag(int c, struct sw_opts *o)
{
	switch (c) {
	case OPT_STATS: o->stats = true; return 0;
	case OPT_NO_REALTIME: o->no_realtime = true; return 0;
	case OPT_RUN_AS_SHARED: o->run_as_shared = true; return 0;
	case OPT_CHECK: o->check = true; return 0;
	case 'q': o->quiet = true; return 0;
	case 't': o->tagged = true; return 0;
	case OPT_NONZERO: o->nonzero_exit = true; return 0;
	case OPT_THREADS: o->threads = true; return 0;
	case 'h': o->help = true; return 0;
	case 'V': o->version = true; return 0;
	default: return 1;
	}
}

static int parse_pid(const char *s, struct sw_opts *o, char *err, size_t errlen)
{
	uint64_t v;

	if (parse_u64(s, &v) < 0 || v == 0 || v > INT32_MAX)
		return fail(err, errlen, "invalid pid '%s'", s);
	if (o->n_pids == SW_PIDS_MAX)
		return fail(err, errlen, "at most %d pids", SW_PIDS_MAX);
	o->pids[o->n_pids++] = (int)v;
	return 0;
}

/* What follows the options: pids for forest, `-- COMMAND` for watch. */
static int parse_rest(int argc, char **argv, struct sw_opts *o, char *err,
		      size_t errlen)
{
	bool dashdash = optind > 0 && optind <= argc &&
			strcmp(argv[optind - 1], "--") == 0;

	if (o->cmd == SW_CMD_REPLAY) {
		if (dashdash || argc - optind > 1)
			return fail(err, errlen, "replay reads one FILE (or - for "
				    "standard input)");
		o->replay = optind < argc ? argv[optind] : "-";
		return 0;
	}
	if (o->cmd == SW_CMD_FOREST) {
		if (!(sw_emit_find(o->format)->flags &
		      (SW_EMIT_F_FOREST_TEXT | SW_EMIT_F_FOREST_JSON))) {
			char text[32], json[32];

			sw_emit_names(SW_EMIT_F_FOREST_TEXT, "", text, sizeof(text));
			sw_emit_names(SW_EMIT_F_FOREST_JSON, "", json, sizeof(json));
			return fail(err, errlen, "forest writes %s or %s, not %s",
				    text, json, o->format);
		}
		for (int i = optind; i < argc; i++)
			if (parse_pid(argv[i], o, err, errlen) < 0)
				return -EINVAL;
		return 0;
	}
	if (optind < argc && !dashdash)
		return fail(err, errlen, "unexpected argument '%s'", argv[optind]);
	if (dashdash && optind == argc)
		return fail(err, errlen, "'--' must be followed by a command");
	if (optind < argc)
		o->command = &argv[optind];
	return 0;
}

/* One destination: standard output, --output, --syslog or --journal. */
static int check_destination(struct sw_opts *o, char *err, size_t errlen)
{
	if (!!o->output + !!o->syslog + o->journal > 1)
		return fail(err, errlen, "--output, --syslog and --journal each "
			    "say where events go: give one of them");
	if (!o->syslog && !o->journal)
		return 0;
	if (o->cmd == SW_CMD_FOREST)
		return fail(err, errlen, "forest writes to standard output, not "
			    "to %s", o->journal ? "the journal" : "syslog");
	/* A message is a JSON document (ECS with --format ecs), never text. */
	if (!(sw_emit_find(o->format)->flags & SW_EMIT_F_DOCUMENT))
		o->format = sw_emit_first(SW_EMIT_F_DOCUMENT)->name;
	return 0;
}

static void defaults(struct sw_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->format = sw_emit_first(0)->name;	/* the registry's first: text */
	o->events = SW_EVMASK_ALL;
	o->rcvbuf = SW_DEFAULT_RCVBUF;
	o->ancestry = SW_DEFAULT_ANCESTRY;
}

int sw_opts_parse(int argc, char **argv, struct sw_opts *ret, char *err,
		  size_t errlen)
{
	static const char shortopts[] = "+:jo:qe:n:d:p:r:Z:thV";
	int c, r;

	defaults(ret);
	/* The command word comes first; its options follow it. */
	if (argc > 1 && strcmp(argv[1], "watch") == 0) {
		argc--;
		argv++;
	} else if (argc > 1 && strcmp(argv[1], "forest") == 0) {
		ret->cmd = SW_CMD_FOREST;
		argc--;
		argv++;
	} else if (argc > 1 && strcmp(argv[1], "replay") == 0) {
		ret->cmd = SW_CMD_REPLAY;
		argc--;
		argv++;
	}
	optind = 0;	/* re-entrant: tests parse many command lines */
	opterr = 0;
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		/* A known optopt comes from a long option given a value. */
		if (c == '?')
			return optopt > 0 && optopt < 256 && !strchr(shortopts, optopt)
				       ? fail(err, errlen, "unknown option '-%c'", optopt)
				      : fail(err, errlen, "unknown option '%s'", argv[optind - 1]);
		if (c == ':')
			return fail(err, errlen, "option '%s' needs a value", argv[optind - 1]);
		if (c == 'p')
			r = parse_pid(optarg, ret, err, errlen);
		else if ((r = parse_flag(c, ret)) == 1)
			r = parse_one(c, optarg, ret, err, errlen);
		if (r < 0)
			return r;
	}
	if ((r = check_destination(ret, err, errlen)) < 0)
		return r;
	if (ret->run_as_shared && !ret->run_as)
		return fail(err, errlen, "--run-as-shared needs --run-as USER");
	return parse_rest(argc, argv, ret, err, errlen);
}
