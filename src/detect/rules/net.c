/* SPDX-License-Identifier: MIT */
/*
 * Shells where shells should not be, judged at exec:
 *   web-shell         a shell running an injected command, or a recon tool,
 *                     at any depth below a web or app server
 *   reverse-shell     a shell or interpreter wired to a peer it connected
 *                     to (its stdio a socket, or a pipe, fifo, pty or
 *                     socketpair whose other end the socket's holder has:
 *                     ev->net, read by revconn.c), nc/ncat/socat handing
 *                     a program to the network, or a shell with /dev/tcp/
 *                     or /dev/udp/ in its arguments
 *   network-listener  nc/ncat/netcat listening, socat with a LISTEN address
 */
#include "config.h"

#include <string.h>

#include "lineage.h"
#include "rules.h"

static const char *const servers[] = {
	"nginx", "apache2", "httpd", "lighttpd", "php-fpm", "php-cgi",
	"fcgiwrap", "caddy", "uwsgi", "gunicorn", "tomcat",
};
static const char *const shells[] = {
	"sh", "bash", "dash", "zsh", "ksh", "mksh", "busybox", "csh", "tcsh",
	"fish",
};
static const char *const recon[] = {
	"id", "whoami", "uname", "hostname", "ifconfig", "ip", "netstat", "ss",
	"ps", "nc", "ncat", "netcat", "socat", "perl", "python", "python3",
};
/* Languages that open sockets themselves (a version may follow: python3.11). */
static const char *const interpreters[] = {
	"python", "perl", "ruby", "php", "lua", "luajit", "node", "nodejs",
	"tclsh", "wish", "expect", "gawk", "awk", "mawk", "nawk", "irb", "pwsh",
	"busybox",
};
/*
 * Servers of legitimate remote shells, by path: they hold the client's
 * socket or the pty master of the shell they start.
 */
static const char *const remote_shells[] = {
	"/usr/sbin/sshd", "/usr/lib/openssh/sshd-session", "/usr/libexec/openssh/sshd-session",
	"/usr/lib/openssh/sshd-auth", "/usr/sbin/dropbear", "/usr/sbin/in.telnetd",
	"/usr/sbin/telnetd", "/usr/bin/login", "/usr/bin/tmux", "/usr/bin/screen",
	"/usr/bin/mosh-server", "/usr/sbin/inetd", "/usr/sbin/xinetd",
	"/usr/sbin/in.rshd", "/usr/sbin/in.rlogind", "/usr/bin/ttyd",
	"/usr/bin/shellinaboxd", "/usr/bin/dtach", "/usr/bin/abduco",
};
static const char *const netcats[] = { "nc", "ncat", "netcat", "nc.openbsd",
				       "nc.traditional" };

/* The marker classes of `markers`: what a command injection adds. */
enum {
	MK_SEMICOLON = 1u << 0,		/* ; */
	MK_AND = 1u << 1,		/* && */
	MK_OR = 1u << 2,		/* || */
	MK_PIPE = 1u << 3,		/* | */
	MK_BACKGROUND = 1u << 4,	/* & */
	MK_NEWLINE = 1u << 5,		/* a new line */
	MK_SUBST = 1u << 6,		/* $( ), <( ), >( ) */
	MK_BACKTICK = 1u << 7,		/* ` ` */
	MK_REDIRECT = 1u << 8,		/* > < (not to /dev/null, not 2>&1) */
	MK_DEVNET = 1u << 9,		/* /dev/tcp/, /dev/udp/ */
};
static const char *const marker_names[] = {
	"semicolon", "and", "or", "pipe", "background", "newline", "subst",
	"backtick", "redirect", "devnet",
};
static const char *const app_servers[] = { "node", "nodejs", "java" };
static const char *const sessions[] = {
	"sshd", "sshd-session", "dropbear", "login", "su", "tmux", "screen",
	"mosh-server", "cron", "crond", "anacron", "atd",
};

static void defaults(struct sw_rules *r)
{
	struct sw_rule_net *n = &r->net;

	n->webshell_enabled = n->revshell_enabled = n->listener_enabled = true;
	SW_NAMES_FILL(&n->servers, servers);
	SW_NAMES_FILL(&n->shells, shells);
	SW_NAMES_FILL(&n->recon, recon);
	SW_NAMES_FILL(&n->apps, app_servers);
	SW_NAMES_FILL(&n->sessions, sessions);
	SW_NAMES_FILL(&n->markers, marker_names);
	SW_NAMES_FILL(&n->rev_shells, shells);
	SW_NAMES_FILL(&n->netcats, netcats);
	SW_NAMES_FILL(&n->rev_interpreters, interpreters);
	SW_NAMES_FILL(&n->rev_allow, remote_shells);
	SW_NAMES_FILL(&n->listen_netcats, netcats);
}

/* The program's name: the executable's basename, else its comm. */
static const char *name_of(const struct sw_event *ev)
{
	if ((ev->have & SW_HAVE_EXE) && ev->exe)
		return sw_rule_base(ev->exe);
	return (ev->have & SW_HAVE_COMM) ? ev->comm : "";
}

/* A server's name may carry a version: php-fpm8.2, python3.11. */
static bool prefixed(const struct sw_names *l, const char *name)
{
	for (unsigned i = 0; i < l->n; i++) {
		size_t n = strlen(l->v[i]);

		if (strncmp(name, l->v[i], n) == 0 &&
		    (name[n] == '\0' || (name[n] >= '0' && name[n] <= '9') ||
		     name[n] == '.' || name[n] == ':' || name[n] == ' '))
			return true;
	}
	return false;
}

static bool argv_has(const struct sw_event *ev, bool (*pred)(const char *))
{
	const char *end = ev->argv + ev->argv_len;
	const char *a = ev->argv;

	if (!(ev->have & SW_HAVE_ARGV) || !a)
		return false;
	for (a += strlen(a) + 1; a < end; a += strlen(a) + 1)
		if (pred(a))
			return true;
	return false;
}

static bool is_devnet(const char *a)
{
	return strstr(a, "/dev/tcp/") || strstr(a, "/dev/udp/");
}

/* -e PROG, -c CMD, or those letters inside a cluster such as -lvpe. */
static bool is_exec_flag(const char *a)
{
	if (a[0] == '-' && a[1] == '-')
		return strcmp(a, "--exec") == 0 || strcmp(a, "--sh-exec") == 0 ||
		       strcmp(a, "--lua-exec") == 0;
	return a[0] == '-' && (strchr(a, 'e') || strchr(a, 'c'));
}

static bool is_exec_addr(const char *a)
{
	return strncmp(a, "exec:", 5) == 0 || strncmp(a, "EXEC:", 5) == 0 ||
	       strncmp(a, "system:", 7) == 0 || strncmp(a, "SYSTEM:", 7) == 0;
}

static bool is_listen_flag(const char *a)
{
	return a[0] == '-' && a[1] != '-' && strchr(a, 'l');
}

static bool is_listen_addr(const char *a)
{
	return strstr(a, "LISTEN") || strstr(a, "listen");
}

/*
 * web-shell: what a web or app server's request runs, at any depth below
 * it.  A server is one of `servers` by executable basename or comm (its
 * CGI and FastCGI wrappers, fcgiwrap and php-fpm, sit below a socket and
 * count themselves), or one of `apps` (node, java) that does not run
 * below an interactive shell or one of `sessions`: a program started from
 * a terminal, by ssh or by cron is not serving requests.
 */
#define WEB_MAX_UP 64

static unsigned marker_mask(const struct sw_names *l)
{
	unsigned m = 0;

	for (unsigned i = 0; i < l->n; i++)
		for (unsigned k = 0; k < sizeof(marker_names) / sizeof(marker_names[0]); k++)
			if (strcmp(l->v[i], marker_names[k]) == 0)
				m |= 1u << k;
	return m;
}

const char *sw_rules_net_finish(const struct sw_rules *r)
{
	const struct sw_names *l = &r->net.markers;

	for (unsigned i = 0; i < l->n; i++) {
		struct sw_names one = { .v = { l->v[i] }, .n = 1 };

		if (!marker_mask(&one))
			return "[web-shell] markers: each name is one of semicolon, and, "
			       "or, pipe, background, newline, subst, backtick, "
			       "redirect, devnet";
	}
	return NULL;
}

/* A redirection that only silences or joins streams: >/dev/null, 2>&1. */
static bool quiet_redirect(const char *p)
{
	const char *t = p + 1;

	if (*p == '>' && *t == '>')
		t++;
	if (*t == '&' && ((t[1] >= '0' && t[1] <= '9') || t[1] == '-'))
		return true;
	while (*t == ' ' || *t == '\t')
		t++;
	return strncmp(t, "/dev/null", 9) == 0 &&
	       (t[9] == '\0' || strchr(" \t;&|)", t[9]));
}

/*
 * The marker classes of mask found in a shell command, read as the shell
 * reads it: nothing counts inside single quotes or after a backslash, and
 * only expansions ($(, `) inside double quotes; /dev/tcp/ anywhere (a
 * quoted redirection target still connects).
 */
static unsigned markers_in(const char *cmd, unsigned mask)
{
	enum { PLAIN, SINGLE, DOUBLE } q = PLAIN;
	unsigned found = 0;

	if ((mask & MK_DEVNET) && is_devnet(cmd))
		found |= MK_DEVNET;
	for (const char *p = cmd; *p; p++) {
		char prev = p > cmd ? p[-1] : ' ';

		if (q == SINGLE) {
			if (*p == '\'')
				q = PLAIN;
			continue;
		}
		if (*p == '\\' && p[1]) {
			p++;
			continue;
		}
		if (*p == '"') {
			q = q == DOUBLE ? PLAIN : DOUBLE;
			continue;
		}
		if (*p == '`')
			found |= MK_BACKTICK;
		else if (*p == '$' && p[1] == '(')
			found |= MK_SUBST;
		if (q == DOUBLE)
			continue;
		switch (*p) {
		case '\'':
			q = SINGLE;
			break;
		case ';':
			found |= MK_SEMICOLON;
			break;
		case '\n':
			found |= MK_NEWLINE;
			break;
		case '|':
			if (p[1] == '|') {
				found |= MK_OR;
				p++;
			} else {
				found |= MK_PIPE;
			}
			break;
		case '&':
			if (p[1] == '&') {
				found |= MK_AND;
				p++;
			} else if (p[1] == '>') {
				if (!quiet_redirect(p + 1))
					found |= MK_REDIRECT;
				p++;
			} else if (prev != '>' && prev != '<') {
				found |= MK_BACKGROUND;
			}
			break;
		case '<':
		case '>':
			if (p[1] == '(')
				found |= MK_SUBST;
			else if (!quiet_redirect(p))
				found |= MK_REDIRECT;
			if (p[1] == *p || p[1] == '&')
				p++;	/* >>, <<, >&2 */
			break;
		default:
			break;
		}
	}
	return found & mask;
}

/* Whether a (one argument) is a cluster of single-letter options holding ch. */
static bool cluster_has(const char *a, char ch)
{
	return (a[0] == '-' || a[0] == '+') && a[1] && a[1] != '-' &&
	       strchr(a + 1, ch) &&
	       strspn(a + 1, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") ==
		       strlen(a + 1);
}

/*
 * What a shell's command line asks of it: the command string of -c (also
 * in a cluster such as -ec), or a script (*script set), or neither (it
 * reads commands from its input or a terminal).  busybox's applet name
 * is skipped.
 */
static const char *shell_command(const char *argv, size_t len, bool *script,
				 bool *inter)
{
	const char *end = argv + len, *a = argv;
	bool c = false, first = true;

	*script = false;
	*inter = argv && len && argv[0] == '-';	/* a login shell: -bash */
	if (!argv || !len)
		return NULL;
	for (a += strlen(a) + 1; a < end; a += strlen(a) + 1) {
		if (first && strcmp(sw_rule_base(argv), "busybox") == 0) {
			first = false;
			continue;
		}
		first = false;
		if (strcmp(a, "--") == 0) {
			a += strlen(a) + 1;
			break;
		}
		if (strcmp(a, "--rcfile") == 0 || strcmp(a, "--init-file") == 0) {
			if ((a += strlen(a) + 1) >= end)
				break;
			continue;
		}
		if (a[0] == '-' && a[1] == '-')
			continue;
		if ((a[0] == '-' || a[0] == '+') && a[1]) {
			c |= cluster_has(a, 'c');
			*inter |= a[0] == '-' && cluster_has(a, 'i');
			if (cluster_has(a, 'o') && (a += strlen(a) + 1) >= end)
				break;	/* -o pipefail */
			continue;
		}
		break;
	}
	if (a >= end)
		return NULL;
	if (c)
		return a;
	*script = true;
	return NULL;
}

/* Whether an interpreter's arguments give it code inline (-c, -e, -r). */
static bool inline_args(const char *argv, size_t len)
{
	const char *end = argv + len, *a = argv;

	if (!argv || !len)
		return false;
	for (a += strlen(a) + 1; a < end; a += strlen(a) + 1)
		if (a[0] == '-' && a[1] != '-' && strpbrk(a + 1, "ceErR"))
			return true;
	return false;
}

/*
 * A recon tool: one of `recon` (an interpreter among them only with its
 * code inline: python3 -c), or cat of /etc/passwd or /etc/shadow.
 */
static bool recon_tool(const struct sw_rule_net *n, const char *name,
		       const char *argv, size_t len)
{
	if (strcmp(name, "cat") == 0) {
		for (const char *a = argv; a && a < argv + len; a += strlen(a) + 1)
			if (strcmp(a, "/etc/passwd") == 0 || strcmp(a, "/etc/shadow") == 0)
				return true;
		return false;
	}
	if (!prefixed(&n->recon, name))
		return false;
	return !prefixed(&n->rev_interpreters, name) || inline_args(argv, len);
}

/* The first word of a command: a recon tool, or cat of /etc/passwd. */
static bool recon_command(const struct sw_rule_net *n, const char *cmd)
{
	char word[64];
	size_t k;

	cmd += strspn(cmd, " \t");
	k = strcspn(cmd, " \t");
	if (k == 0 || k >= sizeof(word))
		return false;
	memcpy(word, cmd, k);
	word[k] = '\0';
	if (strcmp(sw_rule_base(word), "cat") == 0)
		return strstr(cmd, "/etc/passwd") || strstr(cmd, "/etc/shadow");
	/* An interpreter with its code inline shows it: python3 -c ... */
	if (prefixed(&n->rev_interpreters, sw_rule_base(word)))
		return prefixed(&n->recon, sw_rule_base(word)) &&
		       (strstr(cmd, " -c") || strstr(cmd, " -e") || strstr(cmd, " -r"));
	return prefixed(&n->recon, sw_rule_base(word));
}

/* What the event runs, were it below a server: a web shell's work. */
static bool suspect(const struct sw_rule_net *n, const struct sw_event *ev,
		    const char *name)
{
	const char *argv = (ev->have & SW_HAVE_ARGV) ? ev->argv : NULL;
	size_t len = argv ? ev->argv_len : 0;

	if (sw_names_has(&n->shells, name)) {
		bool script, inter;
		const char *cmd = shell_command(argv, len, &script, &inter);

		if (cmd)
			return markers_in(cmd, marker_mask(&n->markers)) ||
			       recon_command(n, cmd);
		/* A CGI script is the app; a shell reading its input is not. */
		return !script;
	}
	return recon_tool(n, name, argv, len);
}

static bool named(const struct sw_names *l, const char *exe, const char *comm)
{
	return (exe && prefixed(l, sw_rule_base(exe))) || (comm && prefixed(l, comm));
}

/* A shell on a terminal (no command, no script; -i; a login shell). */
static bool interactive_shell(const struct sw_rule_net *n, const struct sw_proc *p)
{
	const char *name = p->exe ? sw_rule_base(p->exe->s) : p->comm;
	bool script, inter;

	if (!sw_names_has(&n->shells, name) || !p->argv || !(p->have & SW_HAVE_ARGV))
		return false;
	if (shell_command(p->argv->s, p->argv->len, &script, &inter))
		return inter;
	return inter || !script;
}

/*
 * Whether the app found in the table at p serves: no interactive shell
 * and none of `sessions` above it.
 */
static bool app_serves(const struct sw_rule_net *n, const struct sw_proc *p,
		       const struct sw_event *ev)
{
	unsigned up = 0;

	/* Read at the exec (live): an app listening on nothing serves nothing. */
	if (ev->app_pid == p->pid && ev->app_listens == SW_APP_SILENT)
		return false;

	for (p = p->parent; p && up < WEB_MAX_UP; p = p->parent, up++)
		if (named(&n->sessions, p->exe ? p->exe->s : NULL,
			  (p->have & SW_HAVE_COMM) ? p->comm : NULL) ||
		    interactive_shell(n, p))
			return false;
	return true;
}

static bool below_server(const struct sw_rule_net *n, const struct sw_lineage *l,
			 const struct sw_event *ev)
{
	const struct sw_proc *p = l ? sw_lineage_lookup(l, ev->pid) : NULL;

	if (p && p->parent) {
		unsigned up = 0;

		for (p = p->parent; p && up < WEB_MAX_UP; p = p->parent, up++) {
			const char *exe = p->exe ? p->exe->s : NULL;
			const char *comm = (p->have & SW_HAVE_COMM) ? p->comm : NULL;

			if (named(&n->servers, exe, comm) ||
			    (named(&n->apps, exe, comm) && app_serves(n, p, ev)))
				return true;
		}
		return false;
	}
	/* Only the line's ancestors: names, no command lines. */
	for (unsigned i = 0; i < ev->n_ancestry; i++) {
		const struct sw_ancestor *a = &ev->ancestry[i];
		bool serves = true;

		if (named(&n->servers, a->exe, a->comm))
			return true;
		if (!named(&n->apps, a->exe, a->comm))
			continue;
		for (unsigned j = i + 1; j < ev->n_ancestry && serves; j++)
			serves = !named(&n->sessions, ev->ancestry[j].exe,
					ev->ancestry[j].comm);
		if (serves)
			return true;
	}
	return false;
}

int sw_rules_net_web_app(const struct sw_rules *r, const struct sw_lineage *l,
			 const struct sw_event *ev)
{
	const struct sw_rule_net *n = &r->net;
	const struct sw_proc *p = l ? sw_lineage_lookup(l, ev->pid) : NULL;
	const char *name = name_of(ev);
	unsigned up = 0;

	if (!n->webshell_enabled || ev->type != SW_EV_EXEC || !p || !name[0] ||
	    !suspect(n, ev, name))
		return 0;
	for (p = p->parent; p && up < WEB_MAX_UP; p = p->parent, up++) {
		const char *exe = p->exe ? p->exe->s : NULL;
		const char *comm = (p->have & SW_HAVE_COMM) ? p->comm : NULL;

		if (named(&n->servers, exe, comm))
			return 0;
		if (named(&n->apps, exe, comm))
			return p->pid;
	}
	return 0;
}

bool sw_rules_net_webshell(const struct sw_rules *r)
{
	return r->net.webshell_enabled;
}

static bool web_shell(const struct sw_rule_net *n, const struct sw_lineage *l,
		      const struct sw_event *ev, const char *name)
{
	return name[0] && suspect(n, ev, name) && below_server(n, l, ev);
}

bool sw_rules_net_stdio(const struct sw_rules *r)
{
	return r->net.revshell_enabled;
}

bool sw_rules_net_candidate(const struct sw_rules *r, const struct sw_event *ev)
{
	const struct sw_rule_net *n = &r->net;
	const char *name = name_of(ev);

	return n->revshell_enabled && name[0] &&
	       (sw_names_has(&n->rev_shells, name) ||
		prefixed(&n->rev_interpreters, name));
}

/*
 * An interpreter given its program on the command line (python3 -c CODE,
 * perl -e, ruby -e, php -r, awk 'PROGRAM'): what a one-liner is.  A
 * program run from a file (an app server's python app.py) is not.
 */
static bool inline_code(const struct sw_rule_net *n, const struct sw_proc *p)
{
	const char *a, *end, *name;

	if (!p || !p->argv)
		return false;
	a = p->argv->s;
	end = a + p->argv->len;
	name = p->exe ? sw_rule_base(p->exe->s) : p->comm;
	if (!prefixed(&n->rev_interpreters, name))
		return false;
	if (strstr(name, "awk"))
		return true;
	for (a += strlen(a) + 1; a < end; a += strlen(a) + 1) {
		if (a[0] != '-' || a[1] == '-')
			continue;
		if (strpbrk(a + 1, "ceErR"))
			return true;
	}
	return false;
}

bool sw_rules_net_parent_inline(const struct sw_rules *r, const struct sw_lineage *l,
				const struct sw_event *ev)
{
	const struct sw_proc *p = l ? sw_lineage_lookup(l, ev->pid) : NULL;

	return r->net.revshell_enabled && p && p->parent &&
	       inline_code(&r->net, p->parent);
}

bool sw_rules_net_revshell(const struct sw_rules *r, const struct sw_lineage *l,
			   const struct sw_event *ev)
{
	const struct sw_rule_net *n = &r->net;
	const struct sw_proc *holder = NULL;
	const char *exe = NULL;
	unsigned why = ev->net.why;

	if (!n->revshell_enabled || !(ev->have & SW_HAVE_NET))
		return false;
	if (ev->net.holder && l)
		holder = sw_lineage_lookup(l, ev->net.holder);
	if (holder && holder->exe)
		exe = holder->exe->s;
	else if ((!ev->net.holder || ev->net.holder == ev->ppid) && ev->n_ancestry &&
		 ev->ancestry[0].pid == ev->ppid)
		exe = ev->ancestry[0].exe;	/* stdio: who started it */
	if (exe && sw_paths_has(&n->rev_allow, exe))
		return false;
	/*
	 * A parent holding a pipe's other end and a socket off its stdio is
	 * what any program that runs commands for a client looks like; a
	 * one-liner's interpreter is not.
	 */
	if ((why & SW_NETW_PARENT) && ev->net.via == SW_VIA_PIPE &&
	    !(why & SW_NETW_SOCK_STDIO))
		return inline_code(n, holder);
	return true;
}

static void on_event(const struct sw_detect_ctx *c, struct sw_event *ev)
{
	const struct sw_rule_net *n = &c->r->net;
	const char *name;

	if (ev->type != SW_EV_EXEC)
		return;
	name = name_of(ev);
	if (n->webshell_enabled && web_shell(n, c->l, ev, name))
		sw_detect_tag(ev, "web-shell");
	if (n->revshell_enabled &&
	    ((sw_names_has(&n->netcats, name) && argv_has(ev, is_exec_flag)) ||
	     (strcmp(name, "socat") == 0 && argv_has(ev, is_exec_addr)) ||
	     (sw_names_has(&n->rev_shells, name) && argv_has(ev, is_devnet)) ||
	     sw_rules_net_revshell(c->r, c->l, ev)))
		sw_detect_tag(ev, "reverse-shell");
	if (n->listener_enabled &&
	    ((sw_names_has(&n->listen_netcats, name) &&
	      argv_has(ev, is_listen_flag)) ||
	     (strcmp(name, "socat") == 0 && argv_has(ev, is_listen_addr))))
		sw_detect_tag(ev, "network-listener");
}

static const struct sw_rule_key webshell_keys[] = {
	SW_KEY_ENABLED(net.webshell_enabled),
	SW_KEY("servers", SW_KEY_NAMES, net.servers),
	SW_KEY("shells", SW_KEY_NAMES, net.shells),
	SW_KEY("recon", SW_KEY_NAMES, net.recon),
	SW_KEY("apps", SW_KEY_NAMES, net.apps),
	SW_KEY("sessions", SW_KEY_NAMES, net.sessions),
	SW_KEY("markers", SW_KEY_NAMES, net.markers),
	{ NULL, 0, 0, 0, 0 },
};
static const struct sw_rule_key revshell_keys[] = {
	SW_KEY_ENABLED(net.revshell_enabled),
	SW_KEY("shells", SW_KEY_NAMES, net.rev_shells),
	SW_KEY("netcats", SW_KEY_NAMES, net.netcats),
	SW_KEY("interpreters", SW_KEY_NAMES, net.rev_interpreters),
	SW_KEY("allow", SW_KEY_PATHS, net.rev_allow),
	{ NULL, 0, 0, 0, 0 },
};
static const struct sw_rule_key listener_keys[] = {
	SW_KEY_ENABLED(net.listener_enabled),
	SW_KEY("netcats", SW_KEY_NAMES, net.listen_netcats),
	{ NULL, 0, 0, 0, 0 },
};
static const struct sw_rule_section webshell = { "web-shell", webshell_keys };
static const struct sw_rule_section revshell = { "reverse-shell", revshell_keys };
static const struct sw_rule_section listener = { "network-listener",
						 listener_keys };
static const struct sw_rule_section *const sections[] = {
	&webshell, &revshell, &listener, NULL,
};

const struct sw_detector sw_rules_net = {
	.family = "net",
	.defaults = defaults,
	.on_event = on_event,
	.sections = sections,
};
