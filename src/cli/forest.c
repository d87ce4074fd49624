/* SPDX-License-Identifier: MIT */
/*
 * The process forest of the lineage table, as `ps --forest` shows it
 * (pid, ppid, user, state, %cpu, rss, elapsed time, command) with each
 * parent's count of unreaped children, or as nested JSON.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <fcntl.h>

#include <jansson.h>

#include "clock.h"
#include "emit.h"
#include "forest.h"
#include "pipeline.h"
#include "text.h"

#define MAX_DEPTH 512

struct forest {
	struct sw_lineage *l;
	struct sw_users *users;
	int procfd;
	uint64_t now_ns;
	long hz;
	long page_kb;
	struct sw_buf *out;
	struct sw_buf scratch;
	enum sw_text_charset cs;	/* the text's quoting */
	struct sw_rules rules;		/* a snapshot's: sw_pipeline_static_rules() */
	struct sw_host host;		/* what container-escape judges by */
	struct sw_event *ev;		/* scratch for judging a process */
};

/* What /proc says now; zeros when the process is gone or a zombie. */
static void live_stat(const struct forest *f, const struct sw_proc *p,
		      struct sw_proc_stat *st)
{
	int fd = sw_procfs_open_pid(f->procfd, p->pid);

	memset(st, 0, sizeof(*st));
	st->state = p->zombie ? 'Z' : '?';
	if (fd < 0)
		return;
	if (sw_procfs_stat(fd, st) < 0)
		st->state = p->zombie ? 'Z' : '?';
	close(fd);
}

static double elapsed_s(const struct forest *f, const struct sw_proc *p)
{
	if (!(p->have & SW_HAVE_START) || f->now_ns < p->start_ns)
		return 0;
	return (double)(f->now_ns - p->start_ns) / 1e9;
}

static double cpu_pct(const struct forest *f, const struct sw_proc_stat *st,
		      double elapsed)
{
	double cpu = (double)(st->utime + st->stime) / (double)f->hz;

	return elapsed > 0 ? 100.0 * cpu / elapsed : 0;
}

static int cmp_pid(const void *a, const void *b)
{
	const struct sw_proc *x = *(const struct sw_proc *const *)a;
	const struct sw_proc *y = *(const struct sw_proc *const *)b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

/* Children (reaped ones left out) sorted by pid; caller frees. */
static struct sw_proc **children(const struct sw_proc *p, unsigned *ret_n)
{
	struct sw_proc **v;
	unsigned n = 0, i = 0;

	for (struct sw_proc *c = p->first_child; c; c = c->sib_next)
		n += !c->exited || c->zombie;
	*ret_n = 0;
	if (!n)
		return NULL;
	v = malloc(n * sizeof(*v));
	if (!v)
		return NULL;
	for (struct sw_proc *c = p->first_child; c; c = c->sib_next)
		if (!c->exited || c->zombie)
			v[i++] = c;
	qsort(v, n, sizeof(*v), cmp_pid);
	*ret_n = n;
	return v;
}

static int put_etime(struct sw_buf *out, double secs)
{
	unsigned long s = (unsigned long)secs;
	unsigned long d = s / 86400, h = s / 3600 % 24, m = s / 60 % 60;

	if (d)
		return sw_buf_printf(out, "%lu-%02lu:%02lu:%02lu", d, h, m, s % 60);
	if (h)
		return sw_buf_printf(out, "%02lu:%02lu:%02lu", h, m, s % 60);
	return sw_buf_printf(out, "%02lu:%02lu", m, s % 60);
}

static int put_cmd(struct sw_buf *out, const struct sw_proc *p,
		   enum sw_text_charset cs)
{
	int r = 0;

	if (!p->argv || !p->argv->len) {
		r = sw_buf_putc(out, '[');
		r = r ? r : sw_text_shell_quote(out, p->comm, strlen(p->comm), cs);
		return r ? r : sw_buf_putc(out, ']');
	}
	for (size_t i = 0; r == 0 && i < p->argv->len;) {
		const char *a = p->argv->s + i;
		size_t n = strnlen(a, p->argv->len - i);

		r = i ? sw_buf_putc(out, ' ') : 0;
		r = r ? r : sw_text_shell_quote(out, a, n, cs);
		i += n + 1;
	}
	if (r == 0 && (p->cut & SW_HAVE_ARGV))
		r = sw_buf_printf(out, " [argv cut: %" PRIu32 " bytes]", p->argv_size);
	return r;
}

/* The tags of what p runs now (see sw_pipeline_static_tags). */
static unsigned static_tags(struct forest *f, const struct sw_proc *p)
{
	return f->ev ? sw_pipeline_static_tags(&f->rules, &f->host, f->l, p, f->ev) : 0;
}

/*
 * The USER column: a plain name cut to 8 bytes as ps cuts it, a name that
 * needs quoting whole (a cut would undo the quoting).
 */
static int put_user(struct forest *f, const char *user)
{
	size_t n = strlen(user);

	f->scratch.len = 0;
	if (sw_text_shell_quote(&f->scratch, user, n, f->cs) < 0)
		return -ENOMEM;
	if (f->scratch.len == n)
		return sw_buf_printf(f->out, "%-8.8s", user);
	return sw_buf_printf(f->out, "%-8s", f->scratch.data);
}

static int text_line(struct forest *f, const struct sw_proc *p, unsigned depth)
{
	struct sw_proc_stat st;
	const char *user = (p->have & SW_HAVE_CREDS)
				   ? sw_users_name(f->users, p->euid) : NULL;
	double el = elapsed_s(f, p);
	int r;

	live_stat(f, p, &st);
	r = sw_buf_printf(f->out, "%7d %7d ", p->pid, p->ppid);
	r = r ? r : put_user(f, user ? user : "?");
	r = r ? r : sw_buf_printf(f->out, " %c %5.1f %8" PRIu64 " ", st.state,
				  cpu_pct(f, &st, el),
				  st.rss_pages * (uint64_t)f->page_kb);
	r = r ? r : put_etime(f->out, el);
	r = r ? r : sw_buf_putc(f->out, ' ');
	for (unsigned i = 0; r == 0 && i < depth; i++)
		r = sw_buf_puts(f->out, i + 1 < depth ? "    " : " \\_ ");
	r = r ? r : put_cmd(f->out, p, f->cs);
	if (r == 0 && p->zombies)
		r = sw_buf_printf(f->out, "  [zombies: %u]", p->zombies);
	for (unsigned i = 0, n = static_tags(f, p); r == 0 && i < n; i++) {
		r = sw_buf_puts(f->out, i ? "," : "  [");
		r = r ? r : sw_text_shell_quote(f->out, f->ev->tags[i],
						strlen(f->ev->tags[i]), f->cs);
		r = r || i + 1 < n ? r : sw_buf_putc(f->out, ']');
	}
	return r ? r : sw_buf_putc(f->out, '\n');
}

static int text_tree(struct forest *f, const struct sw_proc *p, unsigned depth)
{
	unsigned n;
	struct sw_proc **kids;
	int r = text_line(f, p, depth);

	if (r || depth >= MAX_DEPTH)
		return r;
	kids = children(p, &n);
	for (unsigned i = 0; r == 0 && i < n; i++)
		r = text_tree(f, kids[i], depth + 1);
	free(kids);
	return r;
}

static json_t *jstr(struct forest *f, const char *s, size_t n)
{
	f->scratch.len = 0;
	if (sw_text_utf8(&f->scratch, s, n) < 0)
		return NULL;
	return json_stringn_nocheck(f->scratch.data, f->scratch.len);
}

static int jset(json_t *o, const char *k, json_t *v)
{
	return v ? json_object_set_new_nocheck(o, k, v) : -ENOMEM;
}

static json_t *json_argv(struct forest *f, const struct sw_proc *p)
{
	json_t *a = json_array();

	for (size_t i = 0; a && i < p->argv->len;) {
		const char *s = p->argv->s + i;
		size_t n = strnlen(s, p->argv->len - i);

		if (json_array_append_new(a, jstr(f, s, n)) < 0) {
			json_decref(a);
			return NULL;
		}
		i += n + 1;
	}
	return a;
}

static int json_fields(struct forest *f, json_t *o, const struct sw_proc *p)
{
	struct sw_proc_stat st;
	const char *user = (p->have & SW_HAVE_CREDS)
				   ? sw_users_name(f->users, p->euid) : NULL;
	double el = elapsed_s(f, p);
	char state[2];
	int r;

	live_stat(f, p, &st);
	state[0] = st.state;
	state[1] = '\0';
	r = jset(o, "pid", json_integer(p->pid));
	r = r ? r : jset(o, "ppid", json_integer(p->ppid));
	if (!r && user)
		r = jset(o, "user", jstr(f, user, strlen(user)));
	if (!r && (p->have & SW_HAVE_CREDS))
		r = jset(o, "euid", json_integer(p->euid));
	r = r ? r : jset(o, "state", json_string(state));
	r = r ? r : jset(o, "cpu", json_real((double)(long)(cpu_pct(f, &st, el) * 10) / 10));
	r = r ? r : jset(o, "rss_kb", json_integer((json_int_t)(st.rss_pages * (uint64_t)f->page_kb)));
	r = r ? r : jset(o, "elapsed_s", json_real((double)(long long)(el * 1000) / 1000));
	if (!r && (p->have & SW_HAVE_COMM))
		r = jset(o, "comm", jstr(f, p->comm, strlen(p->comm)));
	if (!r && p->exe)
		r = jset(o, "exe", jstr(f, p->exe->s, p->exe->len));
	if (!r && p->argv && p->argv->len)
		r = jset(o, "argv", json_argv(f, p));
	if (!r && p->argv && p->argv->len && (p->cut & SW_HAVE_ARGV)) {
		r = jset(o, "argv_truncated", json_true());
		r = r ? r : jset(o, "argv_len", json_integer(p->argv_size));
	}
	r = r ? r : jset(o, "zombies", json_integer(p->zombies));
	if (!r && static_tags(f, p)) {
		json_t *t = json_array();

		for (unsigned i = 0; t && i < f->ev->n_tags; i++)
			if (json_array_append_new(t, json_string(f->ev->tags[i])) < 0)
				t = NULL;
		r = jset(o, "tags", t);
	}
	return r;
}

static json_t *json_tree(struct forest *f, const struct sw_proc *p, unsigned depth)
{
	json_t *o = json_object(), *kids = json_array();
	struct sw_proc **v = NULL;
	unsigned n = 0;

	if (!o || !kids || json_fields(f, o, p) < 0)
		goto fail;
	if (depth < MAX_DEPTH)
		v = children(p, &n);
	for (unsigned i = 0; i < n; i++)
		if (json_array_append_new(kids, json_tree(f, v[i], depth + 1)) < 0)
			goto fail;
	free(v);
	if (jset(o, "children", kids) < 0) {
		json_decref(o);
		return NULL;
	}
	return o;
fail:
	free(v);
	json_decref(kids);
	json_decref(o);
	return NULL;
}

struct roots {
	struct sw_proc **v;
	unsigned n, cap;
};

static void add_root(struct sw_proc *p, void *data)
{
	struct roots *r = data;

	if (p->parent || (p->exited && !p->zombie))
		return;
	if (r->n == r->cap) {
		unsigned cap = r->cap ? r->cap * 2 : 64;
		struct sw_proc **v = realloc(r->v, cap * sizeof(*v));

		if (!v)
			return;
		r->v = v;
		r->cap = cap;
	}
	r->v[r->n++] = p;
}

/* The requested subtrees, or every tree when no pid is given. */
static int pick_roots(struct sw_lineage *l, const int *pids, unsigned n_pids,
		      struct roots *r)
{
	if (!n_pids) {
		sw_lineage_foreach(l, add_root, r);
		if (r->n)
			qsort(r->v, r->n, sizeof(*r->v), cmp_pid);
		return 0;
	}
	r->v = calloc(n_pids, sizeof(*r->v));
	if (!r->v)
		return -ENOMEM;
	for (unsigned i = 0; i < n_pids; i++) {
		struct sw_proc *p = sw_lineage_find(l, pids[i]);

		if (!p || (p->exited && !p->zombie)) {
			free(r->v);
			r->v = NULL;
			return -ESRCH;
		}
		r->v[r->n++] = p;
	}
	return 0;
}

int sw_forest_format(const struct sw_forest_src *src, const int *pids,
		     unsigned n_pids, bool json, enum sw_text_charset cs,
		     struct sw_buf *out)
{
	struct forest f = {
		.l = src->l, .users = src->users, .procfd = src->procfd, .out = out,
		.host = *src->host, .cs = cs,
		.now_ns = sw_clock_now(), .hz = sysconf(_SC_CLK_TCK),
		.page_kb = sysconf(_SC_PAGESIZE) / 1024,
		.ev = malloc(sizeof(struct sw_event)),
	};
	struct roots roots = { 0 };
	json_t *a = NULL;
	int r = pick_roots(src->l, pids, n_pids, &roots);

	sw_pipeline_static_rules(&f.rules, src->rules);
	if (f.hz <= 0)
		f.hz = 100;
	if (r < 0)
		return r;
	if (json)
		a = json_array();
	else
		r = sw_buf_puts(out, "    PID    PPID USER     S  %CPU  RSS(KB) ELAPSED COMMAND\n");
	for (unsigned i = 0; r == 0 && i < roots.n; i++)
		r = json ? (json_array_append_new(a, json_tree(&f, roots.v[i], 0)) < 0
				    ? -ENOMEM : 0)
			 : text_tree(&f, roots.v[i], 0);
	if (r == 0 && json) {
		char *s = json_dumps(a, JSON_COMPACT | JSON_REAL_PRECISION(15));

		r = s ? sw_buf_puts(out, s) : -ENOMEM;
		r = r ? r : sw_buf_putc(out, '\n');
		free(s);
	}
	json_decref(a);
	free(roots.v);
	free(f.ev);
	sw_buf_free(&f.scratch);
	return r;
}

int sw_forest_run(const struct sw_opts *opts, const struct sw_rules *rules,
		  struct sw_error *err)
{
	struct sw_lineage_conf conf = {
		.cap = 1u << 22, .zombie_cap = 1u << 22, .gone_cap = 0,
		.linger_ns = 0, .ancestry = 1,	/* the parent, for web-shell */
	};
	struct sw_users *users = sw_users_new();
	struct sw_reader *rd = NULL;
	struct sw_lineage *l = NULL;
	struct sw_scan_counts c;
	struct sw_buf out = { 0 };
	struct sw_forest_src src;
	struct sw_host host = { 0 };
	int status = 1, r;

	conf.procfd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (conf.procfd < 0) {
		snprintf(err->msg, sizeof(err->msg), "cannot open /proc: %s",
			 strerror(errno));
		goto out;
	}
	/* A process whose command line blocks is shown without it. */
	rd = sw_reader_new(conf.procfd, SW_READER_TIMEOUT_MS);
	l = users && rd ? sw_lineage_new(&conf, users) : NULL;
	if (!l || sw_lineage_scan(l, rd, sw_clock_now(), &c) < 0) {
		snprintf(err->msg, sizeof(err->msg), "cannot read /proc: %s",
			 strerror(l ? errno : ENOMEM));
		goto out;
	}
	for (unsigned i = 0; i < opts->n_pids; i++) {
		struct sw_proc *p = sw_lineage_find(l, opts->pids[i]);

		if (!p || (p->exited && !p->zombie)) {
			snprintf(err->msg, sizeof(err->msg), "no process %d",
				 opts->pids[i]);
			goto out;
		}
	}
	sw_host_probe(conf.procfd, &host);	/* unknown ones stay 0 */
	src = (struct sw_forest_src){ .l = l, .users = users,
				      .procfd = conf.procfd, .rules = rules,
				      .host = &host };
	r = sw_forest_format(&src, opts->pids, opts->n_pids,
			     sw_emit_find(opts->format)->flags & SW_EMIT_F_FOREST_JSON,
			     opts->charset, &out);
	if (r < 0)
		snprintf(err->msg, sizeof(err->msg), "out of memory");
	else if (fwrite(out.data, 1, out.len, stdout) != out.len || fflush(stdout) != 0)
		status = errno == EPIPE ? 0 : 1;
	else
		status = 0;
	if (status && !err->msg[0])
		snprintf(err->msg, sizeof(err->msg), "cannot write standard output: %s",
			 strerror(errno));
out:
	sw_buf_free(&out);
	sw_lineage_free(l);
	sw_users_free(users);
	sw_reader_free(rd);
	if (conf.procfd >= 0)
		close(conf.procfd);
	return status;
}
