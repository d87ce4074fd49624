/* SPDX-License-Identifier: MIT */
/*
 * What a program is and where it runs from, judged at exec on the
 * executable /proc named (not on comm, which a process may rename) and, for
 * an interpreter or the dynamic loader, on the program it was given:
 *   exec-from-tmp  program under a world-writable directory
 *   hidden-exe     program's name starts with '.'
 *   deleted-exe    executable deleted from the disk
 *   memfd-exec     executable is a memfd: nothing on disk at all
 *   miner          a known miner's name, or a stratum URL in argv
 */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "rules.h"

#define DELETED " (deleted)"

static const char *const tmp_dirs[] = { "/tmp", "/var/tmp", "/dev/shm" };
static const char *const miners[] = {
	"xmrig", "xmrig-notls", "minerd", "cpuminer", "cpuminer-multi",
	"xmr-stak", "xmr-stak-cpu", "ccminer", "cgminer", "bfgminer",
	"ethminer", "t-rex", "nbminer", "lolminer", "phoenixminer",
	"nanominer", "kdevtmpfsi", "kinsing",
};
static const char *const interpreters[] = {
	"sh", "bash", "dash", "zsh", "ksh", "mksh", "busybox", "python",
	"python2", "python3", "perl", "ruby", "php", "node", "lua",
};

static void defaults(struct sw_rules *r)
{
	struct sw_rule_exec *x = &r->exec;

	x->tmp_enabled = x->hidden_enabled = x->deleted_enabled = true;
	x->memfd_enabled = x->miner_enabled = true;
	SW_NAMES_FILL(&x->tmp_dirs, tmp_dirs);
	SW_NAMES_FILL(&x->miner_names, miners);
	SW_NAMES_FILL(&x->interpreters, interpreters);
}

/* Lexically normal absolute path of p (relative to cwd): no ., .., //. */
static bool normal_path(const char *cwd, const char *p, char *out, size_t size)
{
	char tmp[PATH_MAX];
	size_t len = 0;
	int n;

	if (p[0] == '/')
		n = snprintf(tmp, sizeof(tmp), "%s", p);
	else if (cwd)
		n = snprintf(tmp, sizeof(tmp), "%s/%s", cwd, p);
	else
		return false;
	if (n < 0 || (size_t)n >= sizeof(tmp))
		return false;
	for (char *save = NULL, *c = strtok_r(tmp, "/", &save); c;
	     c = strtok_r(NULL, "/", &save)) {
		if (strcmp(c, ".") == 0)
			continue;
		if (strcmp(c, "..") == 0) {
			while (len > 0 && out[--len] != '/')
				;
			continue;
		}
		n = snprintf(out + len, size - len, "/%s", c);
		if (n < 0 || (size_t)n >= size - len)
			return false;
		len += (size_t)n;
	}
	if (len == 0)
		snprintf(out, size, "/");
	out[len ? len : 1] = '\0';
	return true;
}

/* The program an interpreter or the loader runs: its first operand. */
static const char *operand(const struct sw_event *ev)
{
	const char *a = ev->argv;
	const char *end = ev->argv + ev->argv_len;

	if (!a)
		return NULL;
	for (a += strlen(a) + 1; a < end; a += strlen(a) + 1) {
		if (strcmp(a, "-c") == 0 || strcmp(a, "-e") == 0)
			return NULL;	/* a command string, not a file */
		if (a[0] != '-')
			return a;
	}
	return NULL;
}

static bool is_loader(const char *name)
{
	return strncmp(name, "ld-linux", 8) == 0 || strcmp(name, "ld.so") == 0 ||
	       strncmp(name, "ld-musl", 7) == 0;
}

static bool under(const struct sw_names *dirs, const char *path)
{
	for (unsigned i = 0; i < dirs->n; i++) {
		size_t n = strlen(dirs->v[i]);

		if (strncmp(path, dirs->v[i], n) == 0 && path[n] == '/')
			return true;
	}
	return false;
}

static bool stratum(const struct sw_event *ev)
{
	const char *end = ev->argv + ev->argv_len;

	for (const char *a = ev->argv; a && a < end; a += strlen(a) + 1)
		if (strstr(a, "stratum+tcp://") || strstr(a, "stratum+ssl://") ||
		    strstr(a, "stratum2+tcp://"))
			return true;
	return false;
}

/* One program path: the executable, or the script or binary it runs. */
static void judge_path(const struct sw_rule_exec *x, struct sw_event *ev,
		       const char *path)
{
	const char *name = sw_rule_base(path);

	if (x->tmp_enabled && under(&x->tmp_dirs, path))
		sw_detect_tag(ev, "exec-from-tmp");
	if (x->hidden_enabled && name[0] == '.' && name[1])
		sw_detect_tag(ev, "hidden-exe");
	if (x->miner_enabled && sw_names_has(&x->miner_names, name))
		sw_detect_tag(ev, "miner");
}

static void judge_exe(const struct sw_rule_exec *x, struct sw_event *ev)
{
	char exe[PATH_MAX], prog[PATH_MAX];
	size_t n = strlen(ev->exe), d = strlen(DELETED);
	const char *op;

	if (strncmp(ev->exe, "/memfd:", 7) == 0) {
		if (x->memfd_enabled)
			sw_detect_tag(ev, "memfd-exec");
		return;
	}
	snprintf(exe, sizeof(exe), "%s", ev->exe);
	if (n > d && strcmp(ev->exe + n - d, DELETED) == 0) {
		exe[n - d] = '\0';
		if (x->deleted_enabled)
			sw_detect_tag(ev, "deleted-exe");
	}
	judge_path(x, ev, exe);
	if (!sw_names_has(&x->interpreters, sw_rule_base(exe)) && !is_loader(sw_rule_base(exe)))
		return;
	op = operand(ev);
	if (op && normal_path(ev->cwd, op, prog, sizeof(prog)))
		judge_path(x, ev, prog);
}

static void on_event(const struct sw_detect_ctx *c, struct sw_event *ev)
{
	const struct sw_rule_exec *x = &c->r->exec;

	if (ev->type != SW_EV_EXEC)
		return;
	if ((ev->have & SW_HAVE_EXE) && ev->exe)
		judge_exe(x, ev);
	if (x->miner_enabled && (ev->have & SW_HAVE_ARGV) && stratum(ev))
		sw_detect_tag(ev, "miner");
}

static const struct sw_rule_key tmp_keys[] = {
	SW_KEY_ENABLED(exec.tmp_enabled),
	SW_KEY("dirs", SW_KEY_NAMES, exec.tmp_dirs),
	SW_KEY("interpreters", SW_KEY_NAMES, exec.interpreters),
	{ NULL, 0, 0, 0, 0 },
};
static const struct sw_rule_key hidden_keys[] = {
	SW_KEY_ENABLED(exec.hidden_enabled),
	{ NULL, 0, 0, 0, 0 },
};
static const struct sw_rule_key deleted_keys[] = {
	SW_KEY_ENABLED(exec.deleted_enabled),
	{ NULL, 0, 0, 0, 0 },
};
static const struct sw_rule_key memfd_keys[] = {
	SW_KEY_ENABLED(exec.memfd_enabled),
	{ NULL, 0, 0, 0, 0 },
};
static const struct sw_rule_key miner_keys[] = {
	SW_KEY_ENABLED(exec.miner_enabled),
	SW_KEY("names", SW_KEY_NAMES, exec.miner_names),
	{ NULL, 0, 0, 0, 0 },
};
static const struct sw_rule_section tmp = { "exec-from-tmp", tmp_keys };
static const struct sw_rule_section hidden = { "hidden-exe", hidden_keys };
static const struct sw_rule_section deleted = { "deleted-exe", deleted_keys };
static const struct sw_rule_section memfd = { "memfd-exec", memfd_keys };
static const struct sw_rule_section miner = { "miner", miner_keys };
static const struct sw_rule_section *const sections[] = {
	&tmp, &hidden, &deleted, &memfd, &miner, NULL,
};

const struct sw_detector sw_rules_exec = {
	.family = "exec",
	.defaults = defaults,
	.on_event = on_event,
	.sections = sections,
};
