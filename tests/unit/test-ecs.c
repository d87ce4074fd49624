/* SPDX-License-Identifier: MIT */
/*
 * --format ecs: every kind of event is one line of valid JSON whose every
 * key is an ECS field of tests/ecs/fields.txt with a value of its type (or
 * lies under the custom "spawnwatch" object), and which carries all that
 * the JSON format's line for the same event carries.
 */
#include "config.h"

#include <arpa/inet.h>

#include <errno.h>
#include <regex.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <jansson.h>

#include "clock.h"
#include "emit.h"
#include "opts.h"
#include "stats.h"

#ifndef ECS_FIELDS
#define ECS_FIELDS "tests/ecs/fields.txt"
#endif

#define KTIME 1700000000123456789ull	/* 2023-11-14T22:13:20.123456789Z */
#define TS "2023-11-14T22:13:20.123456789Z"

/* --- the field list -------------------------------------------------- */

struct field {
	char name[64];
	char type[32];
	bool seen;
};

static struct field fields[128];
static unsigned n_fields;

/* ECS fields that take several values (normalize: array in ecs_flat.yml). */
static const char *const array_fields[] = {
	"event.category", "event.type", "process.args", "tags",
};

static int load_fields(void **state)
{
	const char *path = getenv("ECS_FIELDS");
	char line[256];
	unsigned lineno = 0;
	FILE *f;

	if (!path || !*path)
		path = ECS_FIELDS;
	f = fopen(path, "r");
	if (!f) {
		print_error("%s: %s\n", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		char *tab, *nl = strchr(line, '\n');
		struct field *fl;

		lineno++;
		if (!nl || line[0] == '#' || line[0] == '\n')
			goto next;
		*nl = '\0';
		tab = strchr(line, '\t');
		if (!tab || strchr(tab + 1, '\t') || tab == line || !tab[1] ||
		    n_fields == sizeof(fields) / sizeof(fields[0]) ||
		    (size_t)(tab - line) >= sizeof(fl->name) ||
		    strlen(tab + 1) >= sizeof(fl->type)) {
			print_error("%s:%u: not name<TAB>type\n", path, lineno);
			fclose(f);
			return -1;
		}
		fl = &fields[n_fields++];
		memcpy(fl->name, line, (size_t)(tab - line));
		fl->name[tab - line] = '\0';
		strcpy(fl->type, tab + 1);
		for (unsigned i = 0; i + 1 < n_fields; i++)
			if (strcmp(fields[i].name, fl->name) == 0) {
				print_error("%s:%u: %s twice\n", path, lineno,
					    fl->name);
				fclose(f);
				return -1;
			}
next:
		if (!nl) {
			print_error("%s:%u: line too long\n", path, lineno);
			fclose(f);
			return -1;
		}
	}
	fclose(f);
	return n_fields ? 0 : -1;
}

static struct field *field(const char *name)
{
	for (unsigned i = 0; i < n_fields; i++)
		if (strcmp(fields[i].name, name) == 0)
			return &fields[i];
	return NULL;
}

static bool is_array_field(const char *name)
{
	const size_t n = sizeof(array_fields) / sizeof(array_fields[0]);

	for (size_t i = 0; i < n; i++)
		if (strcmp(array_fields[i], name) == 0)
			return true;
	return false;
}

static bool matches(const char *re, const char *s)
{
	regex_t rx;
	bool m;

	assert_int_equal(regcomp(&rx, re, REG_EXTENDED | REG_NOSUB), 0);
	m = regexec(&rx, s, 0, NULL, 0) == 0;
	regfree(&rx);
	return m;
}

/* An RFC 3339 date-time that names a real instant (no 31 February). */
static bool is_rfc3339(const char *s)
{
	struct tm tm, back;
	const char *rest;
	time_t t;

	if (!matches("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}"
		     "(\\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})$", s))
		return false;
	memset(&tm, 0, sizeof(tm));
	rest = strptime(s, "%Y-%m-%dT%H:%M:%S", &tm);
	if (!rest)
		return false;
	back = tm;
	t = timegm(&back);
	gmtime_r(&t, &back);
	return back.tm_year == tm.tm_year && back.tm_mon == tm.tm_mon &&
	       back.tm_mday == tm.tm_mday && back.tm_hour == tm.tm_hour &&
	       back.tm_min == tm.tm_min && back.tm_sec == tm.tm_sec;
}

/* A single value of field f, as ECS's type for it asks. */
static void check_scalar(const struct field *f, json_t *v)
{
	const char *t = f->type;
	bool ok = false;

	if (!strcmp(t, "keyword") || !strcmp(t, "wildcard") ||
	    !strcmp(t, "match_only_text") || !strcmp(t, "constant_keyword"))
		ok = json_is_string(v);
	else if (!strcmp(t, "long"))
		ok = json_is_integer(v);
	else if (!strcmp(t, "float") || !strcmp(t, "double") ||
		 !strcmp(t, "scaled_float"))
		ok = json_is_number(v);
	else if (!strcmp(t, "boolean"))
		ok = json_is_boolean(v);
	else if (!strcmp(t, "date"))
		ok = json_is_string(v) && is_rfc3339(json_string_value(v));
	else if (!strcmp(t, "ip")) {
		unsigned char a[16];

		ok = json_is_string(v) &&
		     (inet_pton(AF_INET, json_string_value(v), a) == 1 ||
		      inet_pton(AF_INET6, json_string_value(v), a) == 1);
	} else
		fail_msg("%s: type '%s' unknown to this test", f->name, t);
	if (!ok) {
		char *s = json_dumps(v, JSON_ENCODE_ANY);

		fail_msg("%s is %s, not a %s", f->name, s, t);
	}
}

/* Every key path in v: an ECS field of its type, or under spawnwatch. */
static void check_paths(json_t *v, const char *path)
{
	struct field *f;
	const char *key;
	json_t *x;
	size_t i;

	if (!strcmp(path, "spawnwatch"))
		return;		/* the custom namespace: anything goes */
	f = *path ? field(path) : NULL;
	if (*path && !f)
		fail_msg("'%s' is not an ECS field of fields.txt", path);
	if (f)
		f->seen = true;
	if (json_is_object(v)) {
		if (f && strcmp(f->type, "object"))
			fail_msg("%s is an object, not a %s", path, f->type);
		json_object_foreach(v, key, x) {
			char sub[128];

			/* ECS nests {"process":{"pid":1}}: no "process.pid". */
			if (!*key || strchr(key, '.'))
				fail_msg("dotted or empty key '%s' in '%s'",
					 key, path);
			snprintf(sub, sizeof(sub), "%s%s%s", path,
				 *path ? "." : "", key);
			check_paths(x, sub);
		}
		return;
	}
	if (!f)
		fail_msg("the document is not an object");
	if (json_is_array(v)) {
		if (!is_array_field(path))
			fail_msg("%s: an array where ECS takes one value",
				 path);
		json_array_foreach(v, i, x) {
			if (json_is_array(x) || json_is_object(x))
				fail_msg("%s[%zu]: not a plain value", path, i);
			check_scalar(f, x);
		}
		return;
	}
	check_scalar(f, v);
}

/* --- emitting -------------------------------------------------------- */

static struct sw_emit em, em_json;
static struct sw_buf out, out_json;
static struct sw_event ev;

static int setup(void **state)
{
	sw_emit_init(&em, &sw_emit_ecs_ops, false);
	sw_emit_init(&em_json, &sw_emit_json_ops, false);
	em.realtime_offset_ns = em_json.realtime_offset_ns = 0;
	strcpy(em.host, "box");
	strcpy(em_json.host, "box");
	memset(&out, 0, sizeof(out));
	memset(&out_json, 0, sizeof(out_json));
	memset(&ev, 0, sizeof(ev));
	ev.ktime_ns = KTIME;
	return 0;
}

static int teardown(void **state)
{
	sw_emit_fini(&em);
	sw_emit_fini(&em_json);
	sw_buf_free(&out);
	sw_buf_free(&out_json);
	return 0;
}

/*
 * One line, '\n' last and nowhere else, no raw control byte but DEL (which
 * JSON allows raw and jansson writes so, in both formats).
 */
static void assert_one_line(const char *p, size_t len)
{
	assert_true(len > 1);
	assert_int_equal(p[len - 1], '\n');
	for (size_t i = 0; i + 1 < len; i++)
		if ((unsigned char)p[i] < 0x20)
			fail_msg("raw byte 0x%02x at %zu in %.*s",
				 (unsigned char)p[i], i, (int)len, p);
}

/* Emits ev with e into o, checks the line and returns it parsed. */
static json_t *emit_with(struct sw_emit *e, struct sw_buf *o)
{
	size_t mark = o->len;
	json_error_t jerr;
	json_t *doc;

	assert_int_equal(sw_emit_event(e, &ev, o), 0);
	assert_int_equal(strlen(o->data), o->len);
	assert_one_line(o->data + mark, o->len - mark);
	doc = json_loadb(o->data + mark, o->len - mark - 1, 0, &jerr);
	if (!doc)
		fail_msg("bad JSON (%s): %s", jerr.text, o->data + mark);
	assert_true(json_is_object(doc));
	return doc;
}

/* doc at a dotted path such as "process.parent.pid", or NULL. */
static json_t *at(json_t *doc, const char *path)
{
	char buf[128], *save = NULL, *key;

	assert_true(strlen(path) < sizeof(buf));
	strcpy(buf, path);
	for (key = strtok_r(buf, ".", &save); key && doc;
	     key = strtok_r(NULL, ".", &save))
		doc = json_object_get(doc, key);
	return doc;
}

static const char *str(json_t *doc, const char *path)
{
	json_t *v = at(doc, path);

	if (!json_is_string(v))
		fail_msg("'%s' is not a string", path);
	return json_string_value(v);
}

static json_int_t num(json_t *doc, const char *path)
{
	json_t *v = at(doc, path);

	if (!json_is_integer(v))
		fail_msg("'%s' is not an integer", path);
	return json_integer_value(v);
}

/* The one value of an array such as event.type. */
static const char *only(json_t *doc, const char *path)
{
	json_t *v = at(doc, path);

	if (!json_is_array(v) || json_array_size(v) != 1 ||
	    !json_is_string(json_array_get(v, 0)))
		fail_msg("'%s' is not an array of one string", path);
	return json_string_value(json_array_get(v, 0));
}

/*
 * Where each key of the JSON format goes (for one event only, when named);
 * id: the JSON integer is an ECS keyword.
 */
static const struct {
	const char *json, *ecs, *event;
	bool id;
} to_ecs[] = {
	{ "ts", "@timestamp", NULL, false },
	{ "seq", "event.sequence", NULL, false },
	{ "host", "host.hostname", NULL, false },
	{ "event", "event.action", NULL, false },
	{ "pid", "process.pid", NULL, false },
	{ "tid", "process.thread.id", NULL, false },
	{ "ppid", "process.parent.pid", NULL, false },
	{ "comm", "process.name", NULL, false },
	{ "exe", "process.executable", NULL, false },
	{ "cwd", "process.working_directory", NULL, false },
	{ "argv", "process.args", NULL, false },
	{ "uid", "process.real_user.id", NULL, true },
	{ "euid", "process.user.id", NULL, true },
	{ "gid", "process.real_group.id", NULL, true },
	{ "egid", "process.group.id", NULL, true },
	{ "user", "process.user.name", NULL, false },
	{ "ancestry", "spawnwatch.ancestry", NULL, false },
	{ "container", "container", NULL, false },
	{ "ns", "spawnwatch.ns", NULL, false },
	{ "tags", "tags", NULL, false },
	{ "thread", "spawnwatch.thread", NULL, false },
	{ "exit_code", "process.exit_code", NULL, false },
	{ "signal", "spawnwatch.signal", NULL, false },
	{ "core", "spawnwatch.core", NULL, false },
	{ "duration_s", "spawnwatch.duration_s", NULL, false },
	{ "prev_uid", "spawnwatch.prev_uid", NULL, false },
	{ "prev_euid", "spawnwatch.prev_euid", NULL, false },
	{ "prev_gid", "spawnwatch.prev_gid", NULL, false },
	{ "prev_egid", "spawnwatch.prev_egid", NULL, false },
	{ "sid", "process.session_leader.pid", NULL, false },
	{ "tracer_pid", "spawnwatch.tracer.pid", NULL, false },
	{ "tracer_comm", "spawnwatch.tracer.comm", NULL, false },
	{ "tracer_exe", "spawnwatch.tracer.executable", NULL, false },
	{ "attach", "spawnwatch.attach", NULL, false },
	{ "prev_comm", "spawnwatch.prev_comm", NULL, false },
	{ "prev_ppid", "spawnwatch.prev_ppid", NULL, false },
	{ "tag", "rule.name", NULL, false },
	{ "detail", "spawnwatch.detail", NULL, false },
	{ "count", "spawnwatch.lost.count", NULL, false },
	{ "reason", "spawnwatch.lost.reason", NULL, false },
	{ "added", "spawnwatch.resync.added", NULL, false },
	{ "removed", "spawnwatch.resync.removed", NULL, false },
	{ "reparented", "spawnwatch.resync.reparented", NULL, false },
	{ "tracked", "spawnwatch.resync.tracked", "resync", false },
	{ "tracked", "spawnwatch.tracked", "start", false },
	{ "version", "agent.version", NULL, false },
	{ "kernel", "host.os.kernel", NULL, false },
	{ "filter", "spawnwatch.filter", NULL, false },
	{ "rcvbuf", "spawnwatch.rcvbuf", NULL, false },
	{ "stats", "spawnwatch.stats", NULL, false },
};

/* All that the JSON line j carries is in the ECS document doc. */
static void assert_carries(json_t *doc, json_t *j)
{
	const char *event = json_string_value(json_object_get(j, "event"));
	const char *key;
	json_t *v;

	json_object_foreach(j, key, v) {
		size_t i, n = sizeof(to_ecs) / sizeof(to_ecs[0]);
		json_t *e;

		/* net is ECS's destination and network, and how under spawnwatch. */
		if (!strcmp(key, "net")) {
			static const char *const parts[][2] = {
				{ "peer", "destination.ip" }, { "port", "destination.port" },
				{ "proto", "network.transport" }, { "via", "spawnwatch.net.via" },
				{ "holder", "spawnwatch.net.holder" },
			};

			for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
				json_t *jv = json_object_get(v, parts[i][0]);

				if (jv && !json_equal(jv, at(doc, parts[i][1])))
					fail_msg("net.%s is not %s", parts[i][0], parts[i][1]);
			}
			continue;
		}

		for (i = 0; i < n; i++)
			if (!strcmp(to_ecs[i].json, key) &&
			    (!to_ecs[i].event ||
			     !strcmp(to_ecs[i].event, event)))
				break;
		if (i == n)
			fail_msg("JSON key '%s' of %s has no ECS place", key,
				 event);
		e = at(doc, to_ecs[i].ecs);
		if (!e)
			fail_msg("%s: '%s' lost (no %s)", event, key,
				 to_ecs[i].ecs);
		if (to_ecs[i].id) {
			char b[32];

			snprintf(b, sizeof(b), "%" JSON_INTEGER_FORMAT,
				 json_integer_value(v));
			assert_true(json_is_string(e));
			assert_string_equal(json_string_value(e), b);
		} else if (!json_equal(e, v)) {
			fail_msg("%s: '%s' is %s in JSON, %s as %s", event, key,
				 json_dumps(v, JSON_ENCODE_ANY),
				 json_dumps(e, JSON_ENCODE_ANY), to_ecs[i].ecs);
		}
	}
}

/*
 * Emits ev as ECS and checks it: one line, ECS fields of their types, the
 * fields every line has, and all that the JSON line for ev has.
 */
static json_t *emit(void)
{
	json_t *doc = emit_with(&em, &out), *j = emit_with(&em_json, &out_json);
	const char *kind;

	check_paths(doc, "");
	assert_true(is_rfc3339(str(doc, "@timestamp")));
	assert_string_equal(str(doc, "ecs.version"), "8.11.0");
	assert_string_equal(str(doc, "event.action"), sw_event_name(ev.type));
	assert_int_equal(num(doc, "event.sequence"), em.seq);
	assert_string_equal(str(doc, "event.module"), "spawnwatch");
	assert_string_equal(str(doc, "event.dataset"), "spawnwatch.process");
	assert_string_equal(str(doc, "host.name"), str(doc, "host.hostname"));
	kind = str(doc, "event.kind");
	if (ev.n_tags || ev.type == SW_EV_ANOMALY)
		assert_string_equal(kind, "alert");
	else
		assert_string_equal(kind, "event");
	/* Process events and only they have a category and the process. */
	if (json_object_get(j, "pid")) {
		assert_string_equal(only(doc, "event.category"), "process");
		assert_non_null(at(doc, "event.type"));
		assert_int_equal(num(doc, "process.pid"), ev.pid);
	} else {
		assert_null(at(doc, "event.category"));
		assert_null(at(doc, "event.type"));
		assert_null(at(doc, "process"));
	}
	/* The custom object is last, and never empty. */
	if (at(doc, "spawnwatch")) {
		assert_true(json_object_size(at(doc, "spawnwatch")) > 0);
		assert_string_equal(json_object_iter_key(json_object_iter_at(
					    doc, "spawnwatch")),
				    "spawnwatch");
		assert_null(json_object_iter_next(
			doc, json_object_iter_at(doc, "spawnwatch")));
	}
	assert_carries(doc, j);
	json_decref(j);
	return doc;
}

static void fill_exec(void)
{
	ev.type = SW_EV_EXEC;
	ev.pid = ev.tid = 100;
	ev.have = SW_HAVE_PPID | SW_HAVE_COMM | SW_HAVE_EXE | SW_HAVE_CWD |
		  SW_HAVE_ARGV | SW_HAVE_CREDS;
	ev.ppid = 1;
	ev.comm = "sh";
	ev.exe = "/bin/sh";
	ev.cwd = "/root";
	ev.argv = "sh\0-c\0echo hi\0";
	ev.argv_len = 14;
	ev.uid = 1000;
	ev.euid = 0;
	ev.gid = 100;
	ev.egid = 101;
	ev.user = "root";
	ev.ancestry[0] = (struct sw_ancestor){ 1, "init", "/sbin/init" };
	ev.ancestry[1] = (struct sw_ancestor){ 0, NULL, NULL };
	ev.n_ancestry = 2;
}

/* --- tests ----------------------------------------------------------- */

static void test_exec(void **state)
{
	json_t *doc;

	fill_exec();
	ev.have |= SW_HAVE_NS | SW_HAVE_START;
	ev.mntns = 4026531841;
	ev.pidns = 4026531836;
	ev.start_ns = KTIME - 2500000000ull;
	ev.container_id = "0123abcd";
	ev.container_runtime = "docker";
	doc = emit();
	assert_string_equal(str(doc, "@timestamp"), TS);
	assert_int_equal(num(doc, "event.sequence"), 1);
	assert_string_equal(only(doc, "event.type"), "start");
	assert_string_equal(str(doc, "host.hostname"), "box");
	assert_int_equal(num(doc, "process.pid"), 100);
	assert_null(at(doc, "process.thread"));
	assert_int_equal(num(doc, "process.parent.pid"), 1);
	assert_string_equal(str(doc, "process.parent.name"), "init");
	assert_string_equal(str(doc, "process.parent.executable"),
			    "/sbin/init");
	assert_string_equal(str(doc, "process.name"), "sh");
	assert_string_equal(str(doc, "process.executable"), "/bin/sh");
	assert_string_equal(str(doc, "process.working_directory"), "/root");
	assert_int_equal(json_array_size(at(doc, "process.args")), 3);
	assert_int_equal(num(doc, "process.args_count"), 3);
	assert_string_equal(str(doc, "process.command_line"), "sh -c echo hi");
	assert_string_equal(str(doc, "process.user.id"), "0");
	assert_string_equal(str(doc, "process.user.name"), "root");
	assert_string_equal(str(doc, "process.real_user.id"), "1000");
	assert_string_equal(str(doc, "process.group.id"), "101");
	assert_string_equal(str(doc, "process.real_group.id"), "100");
	assert_string_equal(str(doc, "user.id"), "0");
	assert_string_equal(str(doc, "user.name"), "root");
	assert_string_equal(str(doc, "process.start"),
			    "2023-11-14T22:13:17.623456789Z");
	assert_null(at(doc, "process.end"));
	assert_string_equal(str(doc, "container.id"), "0123abcd");
	assert_string_equal(str(doc, "container.runtime"), "docker");
	assert_int_equal(num(doc, "spawnwatch.ns.mnt"), 4026531841);
	assert_int_equal(json_array_size(at(doc, "spawnwatch.ancestry")), 2);
	assert_null(at(doc, "tags"));
	assert_null(at(doc, "rule"));
	assert_null(at(doc, "destination"));
	assert_null(at(doc, "spawnwatch.net"));
	json_decref(doc);

	/* A reverse shell's peer: destination and network, how under spawnwatch. */
	ev.have |= SW_HAVE_NET;
	snprintf(ev.net.peer, sizeof(ev.net.peer), "192.0.2.4");
	ev.net.port = 4444;
	ev.net.via = SW_VIA_PIPE;
	ev.net.holder = 4711;
	doc = emit();
	assert_string_equal(str(doc, "destination.ip"), "192.0.2.4");
	assert_int_equal(num(doc, "destination.port"), 4444);
	assert_string_equal(str(doc, "network.transport"), "tcp");
	assert_string_equal(str(doc, "network.type"), "ipv4");
	assert_string_equal(str(doc, "network.direction"), "egress");
	assert_string_equal(str(doc, "spawnwatch.net.via"), "pipe");
	assert_int_equal(num(doc, "spawnwatch.net.holder"), 4711);
	json_decref(doc);
	snprintf(ev.net.peer, sizeof(ev.net.peer), "2001:db8::1");
	ev.net.udp = true;
	ev.net.via = SW_VIA_STDIO;
	ev.net.holder = 0;
	doc = emit();
	assert_string_equal(str(doc, "network.type"), "ipv6");
	assert_string_equal(str(doc, "network.transport"), "udp");
	assert_string_equal(str(doc, "spawnwatch.net.via"), "stdio");
	assert_null(at(doc, "spawnwatch.net.holder"));
	json_decref(doc);
	ev.have &= ~(unsigned)SW_HAVE_NET;

	/* The parent's name only from an ancestor that is the parent. */
	ev.ppid = 7;
	doc = emit();
	assert_int_equal(num(doc, "process.parent.pid"), 7);
	assert_null(at(doc, "process.parent.name"));
	assert_null(at(doc, "process.parent.executable"));
	json_decref(doc);

	/* Nothing known but the pid: no empty objects. */
	ev.have = 0;
	ev.n_ancestry = 0;
	ev.container_id = NULL;
	doc = emit();
	assert_int_equal(json_object_size(at(doc, "process")), 1);
	assert_null(at(doc, "user"));
	assert_null(at(doc, "spawnwatch"));
	assert_int_equal(num(doc, "event.sequence"), 5);
	json_decref(doc);
}

static void test_argv_shapes(void **state)
{
	json_t *doc, *a;

	fill_exec();
	ev.argv = "a\0\0b";		/* an empty argument, no final NUL */
	ev.argv_len = 4;
	doc = emit();
	a = at(doc, "process.args");
	assert_int_equal(json_array_size(a), 3);
	assert_string_equal(json_string_value(json_array_get(a, 1)), "");
	assert_int_equal(num(doc, "process.args_count"), 3);
	assert_string_equal(str(doc, "process.command_line"), "a  b");
	json_decref(doc);

	ev.argv_len = 0;		/* read, but empty */
	doc = emit();
	assert_int_equal(json_array_size(at(doc, "process.args")), 0);
	assert_int_equal(num(doc, "process.args_count"), 0);
	assert_string_equal(str(doc, "process.command_line"), "");
	json_decref(doc);

	ev.argv = NULL;			/* unreadable */
	doc = emit();
	assert_null(at(doc, "process.args"));
	assert_null(at(doc, "process.args_count"));
	assert_null(at(doc, "process.command_line"));
	json_decref(doc);
}

static void test_hostile(void **state)
{
	static const char argv[] = "{\"x\":1}\0\xff\n{\"x\":1}\0\x1b[2J\\\"\0";
	json_t *doc, *a;

	fill_exec();
	ev.comm = "\xff\n\x1b]0;t\a";
	ev.exe = "/tmp/a\"b\\c\xc0\xaf";
	ev.cwd = "/\xed\xa0\x80";
	ev.user = "\x1b";
	ev.argv = argv;
	ev.argv_len = sizeof(argv) - 1;
	ev.ancestry[0].comm = "in\x7fit\xf5";
	ev.ancestry[0].exe = "/\x01\xfe";
	ev.container_id = "\xc3";
	ev.container_runtime = "docker";
	strcpy(em.host, "h\xff\n");
	strcpy(em_json.host, "h\xff\n");
	doc = emit();
	assert_string_equal(str(doc, "process.name"), "\\xff\n\x1b]0;t\a");
	assert_string_equal(str(doc, "process.executable"),
			    "/tmp/a\"b\\c\\xc0\\xaf");
	assert_string_equal(str(doc, "process.working_directory"),
			    "/\\xed\\xa0\\x80");
	assert_string_equal(str(doc, "process.user.name"), "\x1b");
	assert_string_equal(str(doc, "user.name"), "\x1b");
	assert_string_equal(str(doc, "host.hostname"), "h\\xff\n");
	assert_string_equal(str(doc, "host.name"), "h\\xff\n");
	assert_string_equal(str(doc, "process.parent.name"), "in\x7fit\\xf5");
	assert_string_equal(str(doc, "process.parent.executable"),
			    "/\x01\\xfe");
	assert_string_equal(str(doc, "container.id"), "\\xc3");
	a = at(doc, "process.args");
	assert_int_equal(json_array_size(a), 3);
	assert_string_equal(json_string_value(json_array_get(a, 0)),
			    "{\"x\":1}");
	assert_string_equal(json_string_value(json_array_get(a, 1)),
			    "\\xff\n{\"x\":1}");
	assert_string_equal(json_string_value(json_array_get(a, 2)),
			    "\x1b[2J\\\"");
	assert_string_equal(str(doc, "process.command_line"),
			    "{\"x\":1} \\xff\n{\"x\":1} \x1b[2J\\\"");
	json_decref(doc);

	/* A renamed process and a tracer name hostile, too. */
	memset(&ev, 0, sizeof(ev));
	ev.ktime_ns = KTIME;
	ev.type = SW_EV_COMM;
	ev.pid = ev.tid = 5;
	memcpy(ev.u.comm.comm, "\x1b[31m\xe2\x82", 8);
	strcpy(ev.u.comm.prev, "old\n\xff");
	ev.u.comm.have_prev = true;
	doc = emit();
	assert_string_equal(str(doc, "process.name"), "\x1b[31m\\xe2\\x82");
	assert_string_equal(str(doc, "spawnwatch.prev_comm"), "old\n\\xff");
	json_decref(doc);
	ev.type = SW_EV_PTRACE;
	ev.u.ptrace.tracer_pid = 9;
	ev.u.ptrace.tracer_comm = "\xffgdb";
	ev.u.ptrace.tracer_exe = "/tmp/\xffgdb";
	doc = emit();
	assert_string_equal(str(doc, "spawnwatch.tracer.comm"), "\\xffgdb");
	assert_string_equal(str(doc, "spawnwatch.tracer.executable"),
			    "/tmp/\\xffgdb");
	json_decref(doc);
}

static void test_exit(void **state)
{
	json_t *doc;

	ev.type = SW_EV_EXIT;
	ev.pid = ev.tid = 200;
	ev.u.exit.exit_code = 3;
	ev.have = SW_HAVE_DURATION;
	ev.duration_s = 61.23456789;
	doc = emit();
	assert_string_equal(only(doc, "event.type"), "end");
	assert_int_equal(num(doc, "process.exit_code"), 3);
	assert_string_equal(str(doc, "process.end"), TS);
	assert_int_equal(num(doc, "process.uptime"), 61);
	assert_float_equal(json_real_value(at(doc, "spawnwatch.duration_s")),
			   61.234567, 1e-9);
	assert_true(json_is_false(at(doc, "spawnwatch.thread")));
	assert_true(json_is_false(at(doc, "spawnwatch.core")));
	assert_null(at(doc, "spawnwatch.signal"));
	json_decref(doc);

	/* Killed: no exit code, the signal. */
	ev.u.exit.exit_code = -1;
	ev.u.exit.signal = 9;
	ev.have = 0;
	doc = emit();
	assert_null(at(doc, "process.exit_code"));
	assert_null(at(doc, "process.uptime"));
	assert_string_equal(str(doc, "spawnwatch.signal"), "SIGKILL");
	json_decref(doc);

	/* A thread: its id, and not the end of the process. */
	ev.u.exit.signal = 11;
	ev.u.exit.core = true;
	ev.tid = 201;
	ev.thread = true;
	ev.have = SW_HAVE_DURATION;
	doc = emit();
	assert_int_equal(num(doc, "process.thread.id"), 201);
	assert_null(at(doc, "process.end"));
	assert_null(at(doc, "process.uptime"));
	assert_true(json_is_true(at(doc, "spawnwatch.core")));
	assert_true(json_is_true(at(doc, "spawnwatch.thread")));
	json_decref(doc);

	/* An orphan's kernel ppid with its old parent first in the ancestry. */
	fill_exec();
	ev.type = SW_EV_EXIT;
	ev.u.exit = (__typeof__(ev.u.exit)){ .exit_code = 0 };
	ev.ppid = 1;
	ev.ancestry[0] = (struct sw_ancestor){ 50, "bash", "/bin/bash" };
	doc = emit();
	assert_int_equal(num(doc, "process.parent.pid"), 1);
	assert_null(at(doc, "process.parent.name"));
	assert_int_equal(num(doc, "process.exit_code"), 0);
	json_decref(doc);
}

/* Every other kind, with the fields it adds. */
static void test_kinds(void **state)
{
	json_t *doc;

	ev.type = SW_EV_FORK;
	ev.pid = 10;
	ev.tid = 11;
	ev.thread = true;
	ev.have = SW_HAVE_PPID | SW_HAVE_COMM;
	ev.ppid = 9;
	ev.comm = "java";
	doc = emit();
	assert_string_equal(only(doc, "event.type"), "start");
	assert_int_equal(num(doc, "process.thread.id"), 11);
	assert_true(json_is_true(at(doc, "spawnwatch.thread")));
	json_decref(doc);
	ev.thread = false;
	ev.tid = 10;
	ev.tags[0] = "container-escape";
	ev.n_tags = 1;
	doc = emit();
	assert_string_equal(str(doc, "event.kind"), "alert");
	assert_string_equal(only(doc, "tags"), "container-escape");
	/* Only an anomaly line names a rule. */
	assert_null(at(doc, "rule"));
	json_decref(doc);
	ev.n_tags = 0;

	ev.type = SW_EV_UID;
	ev.have |= SW_HAVE_CREDS;
	ev.uid = 3;
	ev.euid = 0;
	ev.u.id = (__typeof__(ev.u.id)){ .r = 3, .e = 0, .prev_r = 3,
					 .prev_e = 1000, .have_prev = true };
	doc = emit();
	assert_string_equal(only(doc, "event.type"), "change");
	assert_string_equal(str(doc, "process.user.id"), "0");
	assert_int_equal(num(doc, "spawnwatch.prev_euid"), 1000);
	json_decref(doc);
	ev.type = SW_EV_GID;
	doc = emit();
	assert_int_equal(num(doc, "spawnwatch.prev_egid"), 1000);
	json_decref(doc);
	ev.u.id.have_prev = false;
	doc = emit();
	assert_null(at(doc, "spawnwatch.prev_gid"));
	json_decref(doc);
	ev.have &= ~SW_HAVE_CREDS;

	ev.type = SW_EV_SID;
	doc = emit();
	assert_string_equal(only(doc, "event.type"), "change");
	assert_int_equal(num(doc, "process.session_leader.pid"), 10);
	json_decref(doc);

	ev.type = SW_EV_PTRACE;
	ev.u.ptrace.tracer_pid = 7;
	ev.u.ptrace.tracer_comm = "gdb";
	ev.tags[0] = "ptrace-attach";
	ev.n_tags = 1;
	doc = emit();
	assert_string_equal(only(doc, "event.type"), "access");
	assert_int_equal(num(doc, "spawnwatch.tracer.pid"), 7);
	assert_true(json_is_true(at(doc, "spawnwatch.attach")));
	json_decref(doc);
	ev.n_tags = 0;
	ev.u.ptrace.tracer_pid = 0;
	doc = emit();
	assert_null(at(doc, "spawnwatch.tracer"));
	assert_true(json_is_false(at(doc, "spawnwatch.attach")));
	json_decref(doc);

	ev.type = SW_EV_COMM;
	memcpy(ev.u.comm.comm, "0123456789abcdef", 17);
	strcpy(ev.u.comm.prev, "java");
	ev.u.comm.have_prev = true;
	doc = emit();
	assert_string_equal(only(doc, "event.type"), "change");
	assert_string_equal(str(doc, "process.name"), "0123456789abcdef");
	assert_string_equal(str(doc, "spawnwatch.prev_comm"), "java");
	json_decref(doc);

	ev.type = SW_EV_COREDUMP;
	ev.tags[0] = "coredump";
	ev.n_tags = 1;
	doc = emit();
	assert_string_equal(only(doc, "event.type"), "info");
	assert_string_equal(str(doc, "event.kind"), "alert");
	json_decref(doc);

	ev.type = SW_EV_REPARENT;
	ev.u.reparent.prev_ppid = 9;
	ev.ppid = 1;
	ev.tags[0] = "orphaned";
	doc = emit();
	assert_string_equal(only(doc, "event.type"), "change");
	assert_int_equal(num(doc, "process.parent.pid"), 1);
	assert_int_equal(num(doc, "spawnwatch.prev_ppid"), 9);
	json_decref(doc);

	ev.type = SW_EV_ANOMALY;
	ev.u.anomaly.tag = "spawn-storm";
	ev.u.anomaly.count = 250;
	ev.u.anomaly.threshold = 200;
	ev.u.anomaly.window_s = 10;
	ev.u.anomaly.oldest_s = 1.5;
	ev.tags[0] = "spawn-storm";
	doc = emit();
	assert_string_equal(only(doc, "event.type"), "info");
	assert_string_equal(str(doc, "rule.name"), "spawn-storm");
	assert_string_equal(str(doc, "rule.ruleset"), "spawnwatch");
	assert_int_equal(num(doc, "spawnwatch.detail.count"), 250);
	json_decref(doc);
	ev.n_tags = 0;		/* an anomaly is an alert all the same */
	doc = emit();
	assert_string_equal(str(doc, "event.kind"), "alert");
	json_decref(doc);

	ev.type = SW_EV_RESYNC;
	ev.u.resync.added = 1;
	ev.u.resync.removed = 2;
	ev.u.resync.reparented = 3;
	ev.u.resync.tracked = 4;
	doc = emit();
	assert_int_equal(num(doc, "spawnwatch.resync.tracked"), 4);
	json_decref(doc);
}

static void test_lost(void **state)
{
	size_t mark;
	json_t *doc;

	ev.type = SW_EV_LOST;
	ev.u.lost.count = -1;
	ev.u.lost.reason = "enobufs";
	doc = emit();
	assert_true(json_is_null(at(doc, "spawnwatch.lost.count")));
	assert_string_equal(str(doc, "spawnwatch.lost.reason"), "enobufs");
	json_decref(doc);
	ev.u.lost.count = 5;
	doc = emit();
	assert_int_equal(num(doc, "spawnwatch.lost.count"), 5);
	json_decref(doc);

	/* A line that cannot be built leaves no trace, not even a seq. */
	ev.u.lost.reason = NULL;
	mark = out.len;
	assert_true(sw_emit_event(&em, &ev, &out) < 0);
	assert_int_equal(out.len, mark);
	assert_int_equal(out.data[mark], '\0');
	assert_int_equal(em.seq, 2);
}

static void test_start_stop(void **state)
{
	struct sw_start_info si = {
		.version = "0.1.0", .kernel = "6.1.0-test",
		.events = SW_EVMASK(SW_EV_FORK) | SW_EVMASK(SW_EV_EXIT),
		.nonzero_exit = true, .tracked = 42, .rcvbuf = 1 << 20,
		.mntns = 4026531841, .pidns = 4026531836,
	};
	struct sw_stats st = { .emitted = 10, .lost = 7, .lost_seq = 5,
			       .rejected = 2, .tracked = 3, .evicted = 1 };
	json_t *doc;

	ev.type = SW_EV_START;
	ev.start = &si;
	doc = emit();
	assert_string_equal(str(doc, "agent.type"), "spawnwatch");
	assert_string_equal(str(doc, "agent.version"), "0.1.0");
	assert_string_equal(str(doc, "host.os.kernel"), "6.1.0-test");
	assert_int_equal(num(doc, "spawnwatch.tracked"), 42);
	assert_int_equal(num(doc, "spawnwatch.rcvbuf"), 1 << 20);
	assert_true(json_is_true(at(doc, "spawnwatch.filter.nonzero_exit")));
	json_decref(doc);

	st.received[SW_EV_EXEC] = 4;
	ev.type = SW_EV_STOP;
	ev.stats = &st;
	doc = emit();
	assert_int_equal(num(doc, "spawnwatch.stats.events.exec"), 4);
	assert_int_equal(num(doc, "spawnwatch.stats.lost"), 7);
	assert_null(at(doc, "agent"));
	json_decref(doc);
}

/* A real clock instant comes out as RFC 3339 with nanoseconds. */
static void test_clock(void **state)
{
	json_t *doc;

	sw_emit_sync_clock(&em);
	em_json.realtime_offset_ns = em.realtime_offset_ns;
	ev.type = SW_EV_SID;
	ev.pid = ev.tid = 1;
	ev.ktime_ns = sw_clock_now();
	doc = emit();
	assert_true(matches("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:"
			    "[0-9]{2}\\.[0-9]{9}Z$", str(doc, "@timestamp")));
	json_decref(doc);
	assert_false(is_rfc3339("2023-02-30T00:00:00Z"));
	assert_false(is_rfc3339("2023-01-01 00:00:00Z"));
}

static void test_find(void **state)
{
	static char a0[] = "spawnwatch", a1[] = "--format", a2[] = "ecs";
	char *argv[] = { a0, a1, a2, NULL };
	char err[256] = "";
	struct sw_opts o;

	assert_ptr_equal(sw_emit_find("ecs"), &sw_emit_ecs_ops);
	assert_string_equal(sw_emit_ecs_ops.name, "ecs");
	assert_int_equal(sw_opts_parse(3, argv, &o, err, sizeof(err)), 0);
	assert_ptr_equal(sw_emit_find(o.format), &sw_emit_ecs_ops);
}

/* fields.txt lists nothing that is never written. */
static void test_fields_used(void **state)
{
	for (unsigned i = 0; i < n_fields; i++)
		if (!fields[i].seen)
			fail_msg("%s is in fields.txt but never written",
				 fields[i].name);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_exec, setup, teardown),
		cmocka_unit_test_setup_teardown(test_argv_shapes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hostile, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kinds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lost, setup, teardown),
		cmocka_unit_test_setup_teardown(test_start_stop, setup, teardown),
		cmocka_unit_test_setup_teardown(test_clock, setup, teardown),
		cmocka_unit_test(test_find),
		/* Last: after all the others have written what they write. */
		cmocka_unit_test(test_fields_used),
	};

	return cmocka_run_group_tests(tests, load_fields, NULL);
}
