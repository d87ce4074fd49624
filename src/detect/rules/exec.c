/* SPDX-License-Identifier: MIT */
/*
 * What a program is and where it runs from, judged at exec on the
 * executable /proc named (not on comm, which a process may rename) and, for
 * an interpreter or the dynamic loader, on the program it was given:
 *   exec-from-tmp  program under a world-writable directory
 *   hidden-exe     program's name, or a directory on its path, starts with
 *                  '.' (but for the dot directories tools install in)
 *   deleted-exe    executable deleted from the disk
 *   memfd-exec     executable is a memfd: nothing on disk at all
 *   miner          a known miner's name (any case), a pool URL of any
 *                  mining scheme, or miners' options together: a pool
 *                  (-o host:port) with a wallet-like user, a mining
 *                  algorithm or --donate-level
 */
#include "config.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "rules.h"

#define DELETED " (deleted)"

static const char *const tmp_dirs[] = { "/tmp", "/var/tmp", "/dev/shm" };
static const char *const miners[] = {
	"xmrig", "xmrig-notls", "xmrig-cuda", "xmrig-proxy", "minerd",
	"cpuminer", "cpuminer-multi", "cpuminer-opt", "xmr-stak",
	"xmr-stak-cpu", "xmr-stak-rx", "ccminer", "cgminer", "bfgminer",
	"ethminer", "t-rex", "nbminer", "lolminer", "phoenixminer",
	"nanominer", "srbminer", "srbminer-multi", "teamredminer", "gminer",
	"wildrig", "wildrig-multi", "bzminer", "rigel", "onezerominer",
	"nheqminer", "cryptodredge", "z-enemy", "bminer", "ethdcrminer64",
	"kdevtmpfsi", "kinsing",
};
/* Dot directories that hold installed tools, not hidden ones. */
static const char *const dot_dirs[] = {
	".local", ".cargo", ".rustup", ".pyenv", ".rbenv", ".nvm", ".npm",
	".deno", ".bun", ".sdkman", ".asdf", ".gem", ".vscode-server",
	".cursor-server", ".dotnet", ".nix-profile", ".linuxbrew", ".ghcup",
	".opam", ".volta", ".juliaup", ".pnpm", ".git", ".husky",
};
/* Schemes a pool URL has: stratum+tcp://, ethproxy+ssl://, ... */
static const char *const pool_schemes[] = {
	"stratum", "stratum1", "stratum2", "ethproxy", "ethstratum",
	"nicehash", "stratum+nicehash",
};
/* Algorithms of -a/--algo that only a miner takes. */
static const char *const algorithms[] = {
	"rx/0", "rx/wow", "rx/arq", "rx/graft", "rx/sfx", "rx/keva", "rx/yada",
	"randomx", "randomxmonero", "cn/r", "cn/0", "cn/1", "cn/2", "cn/half",
	"cn/fast", "cn/rwz", "cn/zls", "cn/double", "cn/ccx", "cn-lite/1",
	"cn-heavy/0", "cn-heavy/xhv", "cn-pico", "cn-pico/tlo", "cryptonight",
	"cryptonight-lite", "cryptonight-heavy", "argon2/chukwa",
	"argon2/chukwav2", "argon2/ninja", "astrobwt", "ghostrider", "kawpow",
	"ethash", "etchash", "autolykos2", "kheavyhash", "equihash",
	"equihash144_5", "beamhash", "octopus", "firopow", "progpow",
	"blake3", "karlsenhash", "dynexsolve", "verushash", "yespower",
	"yescrypt", "lyra2rev3", "lyra2z", "x16r", "x16rv2", "x25x",
	"scrypt", "sha256d", "neoscrypt", "heavyhash", "nexapow", "zelhash",
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
	SW_NAMES_FILL(&x->hidden_allow, dot_dirs);
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
		/* -ec, -ic, -xc: a cluster of options with c in it is -c too. */
		if (a[0] == '-' && a[1] != '-' && strchr(a + 1, 'c') &&
		    strspn(a + 1, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") ==
			    strlen(a + 1))
			return NULL;
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

/* Miners' names compared without case: lolMiner, T-Rex, SRBMiner-MULTI. */
static bool miner_name(const struct sw_names *l, const char *name)
{
	for (unsigned i = 0; i < l->n; i++)
		if (strcasecmp(name, l->v[i]) == 0)
			return true;
	return false;
}

/* SCHEME+tcp://, +ssl:// or +tls:// of a pool scheme, anywhere in a. */
static bool pool_url(const char *a)
{
	for (const char *p = strstr(a, "://"); p; p = strstr(p + 3, "://")) {
		const char *plus = p, *start;
		size_t n;

		while (plus > a && plus[-1] != '+' && isalpha((unsigned char)plus[-1]))
			plus--;
		if (plus == a || plus[-1] != '+')
			continue;
		n = (size_t)(p - plus);
		if (!((n == 3 && (strncasecmp(plus, "tcp", 3) == 0 ||
				  strncasecmp(plus, "ssl", 3) == 0 ||
				  strncasecmp(plus, "tls", 3) == 0))))
			continue;
		start = plus - 1;
		while (start > a && (isalnum((unsigned char)start[-1]) || start[-1] == '+'))
			start--;
		/* The scheme ends the word: -ostratum+tcp:// is one too. */
		for (size_t i = 0; i < sizeof(pool_schemes) / sizeof(pool_schemes[0]); i++) {
			size_t k = strlen(pool_schemes[i]);

			if ((size_t)(plus - 1 - start) >= k &&
			    strncasecmp(plus - 1 - k, pool_schemes[i], k) == 0)
				return true;
		}
	}
	return false;
}

/* host:port, a pool's address (no scheme, or a plain tcp one). */
static bool host_port(const char *a)
{
	const char *colon = strrchr(a, ':'), *p;

	if (strncmp(a, "tcp://", 6) == 0 || strncmp(a, "ssl://", 6) == 0)
		a += 6;
	colon = strrchr(a, ':');
	if (!colon || colon == a || !colon[1] || strchr(a, '/'))
		return false;
	for (p = colon + 1; *p; p++)
		if (!isdigit((unsigned char)*p))
			return false;
	for (p = a; p < colon; p++)
		if (!isalnum((unsigned char)*p) && *p != '.' && *p != '-')
			return false;
	return strchr(a, '.') != NULL && strchr(a, '.') < colon;
}

static bool base58(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) || s[i] == '0' || s[i] == 'O' ||
		    s[i] == 'I' || s[i] == 'l')
			return false;
	return true;
}

/*
 * A wallet as a pool's user: Monero (4 or 8, 95 or 106 base58), Ethereum
 * (0x and 40 hex), Bitcoin-like (1, 3, bc1 ...), each optionally followed
 * by .WORKER or /WORKER or +DIFF.
 */
static bool wallet(const char *a)
{
	size_t n = strcspn(a, "./+:");

	if (a[0] == '0' && (a[1] == 'x' || a[1] == 'X')) {
		if (n != 42)
			return false;
		for (size_t i = 2; i < n; i++)
			if (!isxdigit((unsigned char)a[i]))
				return false;
		return true;
	}
	if ((a[0] == '4' || a[0] == '8') && (n == 95 || n == 106))
		return base58(a, n);
	if (strncmp(a, "bc1", 3) == 0 && n >= 14 && n <= 74) {
		for (size_t i = 3; i < n; i++)
			if (!islower((unsigned char)a[i]) && !isdigit((unsigned char)a[i]))
				return false;
		return true;
	}
	if ((a[0] == '1' || a[0] == '3' || a[0] == 'L' || a[0] == 'M' ||
	     a[0] == 'D' || a[0] == 'R' || a[0] == 't') && n >= 26 && n <= 35)
		return base58(a, n);
	return false;
}

static bool algorithm(const char *a)
{
	for (size_t i = 0; i < sizeof(algorithms) / sizeof(algorithms[0]); i++)
		if (strcasecmp(a, algorithms[i]) == 0)
			return true;
	return false;
}

/* The value of option a: "-o X" (next), "--url=X", "-oX". */
static const char *value_of(const char *a, const char *next, const char *shrt,
			    const char *const *lng, size_t n_lng)
{
	if (shrt && strcmp(a, shrt) == 0)
		return next;
	if (shrt && strncmp(a, shrt, 2) == 0 && a[2] && a[1] != '-')
		return a + 2;
	for (size_t i = 0; i < n_lng; i++) {
		size_t n = strlen(lng[i]);

		if (strncmp(a, lng[i], n) == 0) {
			if (!a[n])
				return next;
			if (a[n] == '=')
				return a + n + 1;
		}
	}
	return NULL;
}

/*
 * What a miner's command line holds: a pool URL of a mining scheme,
 * --donate-level (xmrig's), or a pool address (-o host:port, --url) with a
 * wallet as user (-u, --user, -O, --userpass) or a mining algorithm (-a,
 * --algo).
 */
static bool miner_argv(const struct sw_event *ev)
{
	static const char *const url_opts[] = { "--url", "--pool", "--server" };
	static const char *const user_opts[] = { "--user", "--userpass", "--wallet" };
	static const char *const algo_opts[] = { "--algo", "--algorithm", "--coin" };
	const char *end = ev->argv + ev->argv_len, *a, *next;
	bool pool = false, user = false, algo = false;

	for (a = ev->argv; a && a < end; a = next) {
		const char *v;

		next = a + strlen(a) + 1;
		if (next >= end)
			next = NULL;
		if (pool_url(a) || strncmp(a, "--donate-level", 14) == 0)
			return true;
		if ((v = value_of(a, next, "-o", url_opts, 3)) && host_port(v))
			pool = true;
		if ((v = value_of(a, next, "-u", user_opts, 3)) ||
		    (v = value_of(a, next, "-O", NULL, 0)))
			user |= v && wallet(v);
		if ((v = value_of(a, next, "-a", algo_opts, 3)))
			algo |= v && algorithm(v);
		if (!next)
			break;
	}
	return pool && (user || algo);
}

/* A directory of path, not its last part, that starts with a dot. */
static bool hidden_dir(const struct sw_rule_exec *x, const char *path)
{
	for (const char *p = strchr(path, '/'); p; p = strchr(p + 1, '/')) {
		char part[NAME_MAX + 1];
		const char *e = strchr(p + 1, '/');
		size_t n;

		if (!e)
			break;			/* the name itself */
		n = (size_t)(e - p - 1);
		if (n < 2 || p[1] != '.' || (n == 2 && p[2] == '.') || n > NAME_MAX)
			continue;
		memcpy(part, p + 1, n);
		part[n] = '\0';
		if (!sw_names_has(&x->hidden_allow, part))
			return true;
	}
	return false;
}

/* One program path: the executable, or the script or binary it runs. */
static void judge_path(const struct sw_rule_exec *x, struct sw_event *ev,
		       const char *path)
{
	const char *name = sw_rule_base(path);

	if (x->tmp_enabled && under(&x->tmp_dirs, path))
		sw_detect_tag(ev, "exec-from-tmp");
	if (x->hidden_enabled && ((name[0] == '.' && name[1]) || hidden_dir(x, path)))
		sw_detect_tag(ev, "hidden-exe");
	if (x->miner_enabled && miner_name(&x->miner_names, name))
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
	if (x->miner_enabled && (ev->have & SW_HAVE_ARGV) && miner_argv(ev))
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
	SW_KEY("allow_dirs", SW_KEY_NAMES, exec.hidden_allow),
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
