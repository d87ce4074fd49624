/* SPDX-License-Identifier: MIT */
/*
 * Shells where shells should not be, judged at exec:
 *   web-shell         a shell or recon tool started by a web or app server
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
	"caddy", "uwsgi", "gunicorn", "tomcat", "java", "node",
};
static const char *const shells[] = {
	"sh", "bash", "dash", "zsh", "ksh", "mksh", "busybox", "csh", "tcsh",
	"fish",
};
static const char *const recon[] = {
	"id", "whoami", "uname", "hostname", "ifconfig", "ip", "netstat", "ss",
	"ps", "curl", "wget", "nc", "ncat", "netcat", "socat", "perl",
	"python", "python3",
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

static void defaults(struct sw_rules *r)
{
	struct sw_rule_net *n = &r->net;

	n->webshell_enabled = n->revshell_enabled = n->listener_enabled = true;
	SW_NAMES_FILL(&n->servers, servers);
	SW_NAMES_FILL(&n->shells, shells);
	SW_NAMES_FILL(&n->recon, recon);
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

static bool web_shell(const struct sw_rule_net *n, const struct sw_event *ev,
		      const char *name)
{
	const struct sw_ancestor *p = ev->n_ancestry ? &ev->ancestry[0] : NULL;
	const char *parent;
	bool passwd = false;

	if (!p)
		return false;
	parent = p->exe ? sw_rule_base(p->exe) : (p->comm ? p->comm : "");
	if (!prefixed(&n->servers, parent) &&
	    !(p->comm && prefixed(&n->servers, p->comm)))
		return false;
	if (strcmp(name, "cat") == 0) {
		for (const char *a = ev->argv; a && a < ev->argv + ev->argv_len;
		     a += strlen(a) + 1)
			passwd |= strcmp(a, "/etc/passwd") == 0 ||
				  strcmp(a, "/etc/shadow") == 0;
		return passwd;
	}
	return sw_names_has(&n->shells, name) || prefixed(&n->recon, name);
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
	if (n->webshell_enabled && web_shell(n, ev, name))
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
