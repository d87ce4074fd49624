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
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rules.h"
#include "safefs.h"

#define DELETED " (deleted)"
#define CONFIG_READ 65536	/* of a config file a hidden program names */

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
	/* xmrig's short names, ccminer's and cpuminer's, GMiner's Equihash. */
	"gr", "rx/loki", "cn/rto", "cn/xao", "cn-heavy/tube", "argon2/wrkz",
	"fugue256", "groestl", "myr-gr", "heavy", "wildkeccak", "lyra2v3",
	"lyra2rev2", "lyra2re", "x11", "x13", "x17", "quark", "qubit",
	"allium", "phi2", "tribus", "x16s", "mtp", "blake2s", "keccak",
	"skein", "144_5", "192_7", "210_9", "125_4", "96_5", "150_5",
	"cuckatoo32", "cuckoo29", "cuckaroo29", "beamv3", "beamhashiii",
	/* Coins where a miner takes them for the algorithm (--coin, -c). */
	"monero", "xmr", "etc", "eth", "rvn", "erg", "ergo", "ravencoin",
	"kas", "kaspa", "alph", "nexa", "flux", "zano", "dero", "firo",
	"wownero", "conflux", "cfx",
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

/* What follows the +: tcp, ssl, tls, http(s), ws(s) (T-Rex, TeamRedMiner). */
static bool transport(const char *t, size_t n)
{
	static const char *const v[] = { "tcp", "ssl", "tls", "http", "https",
					  "ws", "wss" };

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		if (n == strlen(v[i]) && strncasecmp(t, v[i], n) == 0)
			return true;
	return false;
}

/* SCHEME+tcp://, +ssl://, +http:// ... of a pool scheme, anywhere in a. */
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
		if (!transport(plus, n))
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

/*
 * host:port, a pool's address (no scheme, or a plain tcp one); with any_host
 * also http://localhost:PORT/, a node's (solo mining, judged with an
 * algorithm only).
 */
static bool host_port_as(const char *a, bool any_host)
{
	const char *colon, *p, *end;
	size_t skip = 0;

	if (strncmp(a, "tcp://", 6) == 0 || strncmp(a, "ssl://", 6) == 0)
		skip = 6;
	else if (any_host && strncmp(a, "http://", 7) == 0)
		skip = 7;
	else if (any_host && strncmp(a, "https://", 8) == 0)
		skip = 8;
	a += skip;
	end = a + strlen(a);
	if (any_host && end > a && end[-1] == '/')
		end--;
	colon = memchr(a, ':', (size_t)(end - a));
	if (!colon || colon == a || colon + 1 == end)
		return false;
	for (p = colon + 1; p < end; p++)
		if (!isdigit((unsigned char)*p))
			return false;
	for (p = a; p < colon; p++)
		if (!isalnum((unsigned char)*p) && *p != '.' && *p != '-')
			return false;
	if (any_host && (size_t)(colon - a) == 9 && strncmp(a, "localhost", 9) == 0)
		return true;
	p = memchr(a, '.', (size_t)(colon - a));
	return p != NULL;
}

static bool host_port(const char *a)
{
	return host_port_as(a, false);
}

/* A host name with dots and no port: GMiner's --server with --port. */
static bool host_name(const char *a)
{
	if (!strchr(a, '.') || !isalnum((unsigned char)a[0]))
		return false;
	for (const char *p = a; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '.' && *p != '-')
			return false;
	return true;
}

static bool port_number(const char *a)
{
	size_t n = strspn(a, "0123456789");

	return n > 0 && n <= 5 && !a[n];
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
	     a[0] == 'D' || a[0] == 'R' || a[0] == 't' || a[0] == 'G' ||
	     a[0] == 'A') && n >= 26 && n <= 35)
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
 * --donate-level (xmrig's), or a pool address (-o host:port, -p host:port
 * as lolMiner's, --url, --pool, PhoenixMiner's -pool, GMiner's --server
 * with --port) with a wallet as user (-u, --user, -O, --userpass, --wallet,
 * -wal), with a mining algorithm or coin (-a, --algo, --coin), or with
 * both a user and a password (the pool login every miner takes: -o
 * host:port -u NAME -p PASS); a node's http://HOST:PORT/ with an algorithm.
 */
struct miner_opts {
	bool pool, node, server, port, user, wallet, pass, algo;
};

static void miner_opt(struct miner_opts *m, const char *a, const char *next)
{
	static const char *const url_opts[] = { "--url", "--pool", "--server",
						"-pool", "-epool" };
	static const char *const user_opts[] = { "--user", "--userpass", "--wallet",
						 "-wal", "-ewal" };
	static const char *const pass_opts[] = { "--pass", "-pass", "-epsw" };
	static const char *const algo_opts[] = { "--algo", "--algorithm", "--coin",
						 "--algorithm-cpu", "--algorithm-gpu",
						 "--currency", "-coin" };
	const char *v;

	if ((v = value_of(a, next, "-o", url_opts, 5)) ||
	    (v = value_of(a, next, "-p", NULL, 0))) {
		m->pool |= host_port(v);
		m->node |= host_port_as(v, true);
		m->server |= host_name(v);
	}
	if ((v = value_of(a, next, "-s", NULL, 0)))
		m->server |= host_name(v);
	if ((v = value_of(a, next, NULL, (const char *const[]){ "--port" }, 1)))
		m->port |= port_number(v);
	if ((v = value_of(a, next, "-u", user_opts, 5)) ||
	    (v = value_of(a, next, "-O", NULL, 0))) {
		m->user |= v[0] && v[0] != '-';
		m->wallet |= wallet(v);
	}
	if ((v = value_of(a, next, "-p", pass_opts, 3)))
		m->pass |= v[0] && v[0] != '-';
	if ((v = value_of(a, next, "-a", algo_opts, 7)) ||
	    (v = value_of(a, next, "-c", NULL, 0)))
		m->algo |= algorithm(v);
}

static bool miner_argv(const struct sw_event *ev)
{
	const char *end = ev->argv + ev->argv_len, *a, *next;
	struct miner_opts m = { 0 };

	for (a = ev->argv; a && a < end; a = next) {
		next = a + strlen(a) + 1;
		if (next >= end)
			next = NULL;
		if (pool_url(a) || strncmp(a, "--donate-level", 14) == 0)
			return true;
		/* argv[0] is no option (exec -a -o). */
		if (a != ev->argv)
			miner_opt(&m, a, next);
		if (!next)
			break;
	}
	m.pool |= m.server && m.port;
	return (m.pool && (m.wallet || m.algo || (m.user && m.pass))) ||
	       (m.node && m.algo);
}

/*
 * The config file a program is given: -c FILE, --config FILE,
 * --config=FILE, or its one operand named like one (nanominer's
 * config.ini).  NULL when none.
 */
static const char *config_arg(const struct sw_event *ev)
{
	static const char *const exts[] = { ".json", ".ini", ".cfg", ".conf", ".txt" };
	const char *end = ev->argv + ev->argv_len, *a, *next, *v, *only = NULL;
	unsigned n = 0;

	for (a = ev->argv; a < end; a = next, n++) {
		next = a + strlen(a) + 1;
		if (next >= end)
			next = NULL;
		if (n && (v = value_of(a, next, "-c", (const char *const[]){ "--config" }, 1)))
			return v[0] ? v : NULL;
		if (n == 1)
			only = a;
		if (!next)
			break;
	}
	if (n != 1 || !only || only[0] == '-')
		return NULL;
	for (size_t i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
		size_t k = strlen(exts[i]), m = strlen(only);

		if (m > k && strcasecmp(only + m - k, exts[i]) == 0)
			return only;
	}
	return NULL;
}

/* Words of a config file: split at spaces, quotes, commas, = and brackets. */
static bool config_words(char *buf)
{
	bool pool = false, wal = false;

	for (char *save = NULL, *w = strtok_r(buf, " \t\r\n\"',=;[]{}()", &save); w;
	     w = strtok_r(NULL, " \t\r\n\"',=;[]{}()", &save)) {
		pool |= host_port(w);
		wal |= wallet(w);
		if (pool && wal)
			return true;
	}
	return false;
}

/* What a miner's config holds: a pool URL, donate-level, a pool and a wallet. */
static bool config_miner(char *buf, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!buf[i])
			buf[i] = ' ';
	buf[n] = '\0';
	return pool_url(buf) || strstr(buf, "donate-level") || config_words(buf);
}

/*
 * A program under a world-writable or hidden directory given a config
 * file: its first CONFIG_READ bytes, read in the process's root or cwd,
 * while the process still runs the exe of the event (never for a replayed
 * log's).
 */
static bool miner_config(const struct sw_event *ev)
{
	char path[64], link[PATH_MAX], buf[CONFIG_READ + 1];
	const char *file = config_arg(ev);
	struct stat st;
	ssize_t n;
	int dirfd, fd;

	/* Never a replayed log's: the pid here is another process. */
	if (!file || !ev->enriched)
		return false;
	snprintf(path, sizeof(path), "/proc/%d/exe", ev->pid);
	n = readlink(path, link, sizeof(link) - 1);
	if (n <= 0)
		return false;
	link[n] = '\0';
	if (strcmp(link, ev->exe) != 0)
		return false;
	/*
	 * From its root or cwd, on that file system alone (safefs.h): a
	 * config on a FUSE mount that never answers is not read, nor is its
	 * path walked.
	 */
	snprintf(path, sizeof(path), "/proc/%d/%s", ev->pid,
		 file[0] == '/' ? "root" : "cwd");
	dirfd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		return false;
	if (!sw_safefs_dir_ok(ev->pid, dirfd)) {
		close(dirfd);
		return false;
	}
	fd = sw_safefs_open(dirfd, file, O_RDONLY | O_NONBLOCK | O_NOCTTY,
			    file[0] == '/');
	close(dirfd);
	if (fd < 0)
		return false;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return false;
	}
	n = read(fd, buf, CONFIG_READ);
	close(fd);
	return n > 0 && config_miner(buf, (size_t)n);
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

/* The exe lies where miners hide: a world-writable or hidden directory. */
static bool hideout(const struct sw_rule_exec *x, const struct sw_event *ev)
{
	const char *name;

	if (!(ev->have & SW_HAVE_EXE) || !ev->exe || ev->exe[0] != '/')
		return false;
	name = sw_rule_base(ev->exe);
	return under(&x->tmp_dirs, ev->exe) || (name[0] == '.' && name[1]) ||
	       hidden_dir(x, ev->exe);
}

static void on_event(const struct sw_detect_ctx *c, struct sw_event *ev)
{
	const struct sw_rule_exec *x = &c->r->exec;

	if (ev->type != SW_EV_EXEC)
		return;
	if ((ev->have & SW_HAVE_EXE) && ev->exe)
		judge_exe(x, ev);
	if (x->miner_enabled && (ev->have & SW_HAVE_ARGV) &&
	    (miner_argv(ev) || (hideout(x, ev) && miner_config(ev))))
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
