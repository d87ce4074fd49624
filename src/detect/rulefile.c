/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rulefile.h"

/* Names read from a file: kept for the life of the rules. */
struct sw_strings {
	struct sw_strings *next;
	char s[];
};

#define MAX_ERRORS 20
#define MAX_KEYS 128
#define NAME_MAX_LEN 255

struct reader {
	FILE *f;
	const char *name;
	struct sw_rules *r;
	unsigned line;
	char *err;
	size_t errlen, errused;
	int errors;
	bool nomem;
	unsigned last_error_line;
	const struct sw_rule_key *given[MAX_KEYS];	/* keys set so far */
	unsigned n_given;
};

static void problem(struct reader *rd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void problem(struct reader *rd, const char *fmt, ...)
{
	va_list ap;
	int n;

	rd->errors++;
	rd->last_error_line = rd->line;
	if (rd->errors > MAX_ERRORS || rd->errused >= rd->errlen)
		return;
	n = snprintf(rd->err + rd->errused, rd->errlen - rd->errused, "%s:%u: ",
		     rd->name, rd->line);
	if (n > 0 && (size_t)n < rd->errlen - rd->errused) {
		rd->errused += (size_t)n;
		va_start(ap, fmt);
		n = vsnprintf(rd->err + rd->errused, rd->errlen - rd->errused, fmt, ap);
		va_end(ap);
		if (n > 0)
			rd->errused += (size_t)n;
		if (rd->errused + 1 < rd->errlen) {
			rd->err[rd->errused++] = '\n';
			rd->err[rd->errused] = '\0';
		}
	}
	if (rd->errused >= rd->errlen)
		rd->errused = rd->errlen - 1;
}

static const struct sw_rule_section *find_section(const char *name)
{
	unsigned n;
	const struct sw_rule_section *const *s = sw_rule_sections(&n);

	for (unsigned i = 0; i < n; i++)
		if (strcasecmp(s[i]->name, name) == 0)
			return s[i];
	return NULL;
}

static const struct sw_rule_key *find_key(const struct sw_rule_section *s,
					  const char *name)
{
	for (const struct sw_rule_key *k = s->keys; k->name; k++)
		if (strcasecmp(k->name, name) == 0)
			return k;
	return NULL;
}

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

/*
 * inih reads lines through here, so that every line has a number, a line
 * too long for inih is an error rather than two lines, and a section
 * header is checked even when no key follows it.
 */
static char *read_line(char *str, int num, void *stream)
{
	struct reader *rd = stream;
	char copy[256];
	size_t n;

	if (!fgets(str, num, rd->f))
		return NULL;
	rd->line++;
	n = strlen(str);
	if (n > 0 && str[n - 1] != '\n' && !feof(rd->f)) {
		int c;

		problem(rd, "line longer than %d characters (continue a list "
			"on indented lines)", num - 3);
		while ((c = fgetc(rd->f)) != EOF && c != '\n')
			;
		str[0] = '\0';
		return str;
	}
	snprintf(copy, sizeof(copy), "%s", str);
	{
		char *t = trim(copy);
		size_t len = strlen(t);

		if (t[0] == '[' && len > 1 && t[len - 1] == ']') {
			t[len - 1] = '\0';
			if (!find_section(trim(t + 1)))
				problem(rd, "unknown section [%s] (the sections are "
					"the tag names; see spawnwatch-rules(5))",
					trim(t + 1));
		}
	}
	return str;
}

static bool was_given(const struct reader *rd, const struct sw_rule_key *k)
{
	for (unsigned i = 0; i < rd->n_given; i++)
		if (rd->given[i] == k)
			return true;
	return false;
}

static const char *keep(struct reader *rd, const char *s, size_t len)
{
	struct sw_strings *c = malloc(sizeof(*c) + len + 1);

	if (!c) {
		rd->nomem = true;
		return NULL;
	}
	memcpy(c->s, s, len);
	c->s[len] = '\0';
	c->next = rd->r->strings;
	rd->r->strings = c;
	return c->s;
}

static int parse_bool(const char *v, bool *ret)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };

	for (unsigned i = 0; i < 4; i++) {
		if (strcasecmp(v, yes[i]) == 0)
			return *ret = true, 0;
		if (strcasecmp(v, no[i]) == 0)
			return *ret = false, 0;
	}
	return -1;
}

static int parse_uint(const char *v, unsigned min, unsigned max, unsigned *ret)
{
	unsigned long n;
	char *end;

	if (!isdigit((unsigned char)v[0]))
		return -1;
	errno = 0;
	n = strtoul(v, &end, 10);
	if (errno || *end || n < min || n > max)
		return -1;
	*ret = (unsigned)n;
	return 0;
}

static int parse_clock(const char *v, unsigned *ret)
{
	unsigned h, m;
	int len = 0;

	if (sscanf(v, "%2u:%2u%n", &h, &m, &len) != 2 || v[len] || h > 24 ||
	    m > 59 || (h == 24 && m) || !isdigit((unsigned char)v[0]))
		return -1;
	*ret = h * 60 + m;
	return 0;
}

static int parse_hours(const char *v, struct sw_rule_hours *h)
{
	char from[8], to[8];
	const char *dash = strchr(v, '-');

	if (!*v) {
		h->have_hours = false;
		return 0;
	}
	if (!dash || dash - v >= (long)sizeof(from) ||
	    strlen(dash + 1) >= sizeof(to))
		return -1;
	memcpy(from, v, (size_t)(dash - v));
	from[dash - v] = '\0';
	snprintf(to, sizeof(to), "%s", dash + 1);
	if (parse_clock(trim(from), &h->from_min) < 0 ||
	    parse_clock(trim(to), &h->to_min) < 0 || h->from_min == h->to_min)
		return -1;
	h->have_hours = true;
	return 0;
}

static const char *const day_names[] = { "sun", "mon", "tue", "wed",
					  "thu", "fri", "sat" };

static int day_of(const char *s, size_t n)
{
	for (int i = 0; i < 7; i++)
		if (n == 3 && strncasecmp(s, day_names[i], 3) == 0)
			return i;
	return -1;
}

/* "mon-fri", "sat,sun", "mon-wed fri": ranges may wrap (fri-mon). */
static int parse_days(const char *v, unsigned *ret)
{
	unsigned days = 0;

	for (const char *p = v; *p;) {
		size_t n = strcspn(p, " \t,");
		const char *dash = memchr(p, '-', n);
		int a, b;

		if (n == 0) {
			p++;
			continue;
		}
		if (dash) {
			a = day_of(p, (size_t)(dash - p));
			b = day_of(dash + 1, n - (size_t)(dash - p) - 1);
		} else {
			a = b = day_of(p, n);
		}
		if (a < 0 || b < 0)
			return -1;
		for (int d = a;; d = (d + 1) % 7) {
			days |= 1u << d;
			if (d == b)
				break;
		}
		p += n;
	}
	*ret = days;
	return 0;
}

/*
 * An allow-list names programs by where they are: a bare name would let
 * any copy or rename pass (cp evil /tmp/gdb).
 */
static int check_path(struct reader *rd, const char *section,
		      const struct sw_rule_key *k, const char *p, size_t n)
{
	if (*p == '/')
		return 0;
	problem(rd, "[%s] %s: '%.*s' is not an absolute path (this list names "
		"programs by path, such as /usr/bin/%.*s: a bare name would "
		"let any copy by that name pass)", section, k->name, (int)n, p, (int)n, p);
	return -1;
}

/* Appends the words of v to the list; the first time, replaces it. */
static int parse_names(struct reader *rd, const char *section,
		       const struct sw_rule_key *k, const char *v,
		       struct sw_names *l, bool first)
{
	if (first)
		l->n = 0;
	for (const char *p = v; *p;) {
		size_t n = strcspn(p, " \t,");

		if (n == 0) {
			p++;
			continue;
		}
		if (n > NAME_MAX_LEN)
			return problem(rd, "a name longer than %d characters",
				       NAME_MAX_LEN), -1;
		/*
		 * Written back (--check), such a name may start a line or
		 * follow a space: it would read as a comment or a section.
		 */
		if (*p == '#' || *p == ';' || *p == '[')
			return problem(rd, "a name cannot start with '%c' (written "
				       "back, it would read as a comment or a "
				       "section)", *p), -1;
		for (size_t i = 0; i < n; i++)
			if (iscntrl((unsigned char)p[i]))
				return problem(rd, "a control character in a name"), -1;
		if (k->type == SW_KEY_PATHS && check_path(rd, section, k, p, n) < 0)
			return -1;
		if (l->n == SW_NAMES_MAX)
			return problem(rd, "more than %d names in one list",
				       SW_NAMES_MAX), -1;
		if ((l->v[l->n] = keep(rd, p, n)) == NULL)
			return -1;
		l->n++;
		p += n;
	}
	return 0;
}

static int handler(void *user, const char *section, const char *name,
		   const char *value)
{
	struct reader *rd = user;
	const struct sw_rule_section *s;
	const struct sw_rule_key *k;
	void *field;
	bool first;

	if (!*section) {
		problem(rd, "'%s' is outside any section (start with a "
			"[tag] line)", name);
		return 1;
	}
	s = find_section(section);
	if (!s)
		return 1;	/* reported at its header */
	k = find_key(s, name);
	if (!k) {
		problem(rd, "unknown key '%s' in [%s]", name, section);
		return 1;
	}
	field = (char *)rd->r + k->off;
	first = !was_given(rd, k);
	if (!first && k->type != SW_KEY_NAMES && k->type != SW_KEY_PATHS) {
		problem(rd, "[%s] %s is set twice", section, name);
		return 1;
	}
	if (first && rd->n_given < MAX_KEYS)
		rd->given[rd->n_given++] = k;
	switch (k->type) {
	case SW_KEY_BOOL:
		if (parse_bool(value, field) < 0)
			problem(rd, "[%s] %s: expected yes or no, not '%s'",
				section, name, value);
		break;
	case SW_KEY_UINT:
		if (parse_uint(value, k->min, k->max, field) < 0)
			problem(rd, "[%s] %s: expected a whole number from %u "
				"to %u, not '%s'", section, name, k->min, k->max,
				value);
		break;
	case SW_KEY_NAMES:
	case SW_KEY_PATHS:
		parse_names(rd, s->name, k, value, field, first);
		break;
	case SW_KEY_HOURS:
		if (parse_hours(value, &rd->r->hours) < 0)
			problem(rd, "[%s] %s: expected HH:MM-HH:MM such as "
				"08:00-19:00, not '%s'", section, name, value);
		break;
	case SW_KEY_DAYS:
		if (parse_days(value, field) < 0)
			problem(rd, "[%s] %s: expected days such as mon-fri or "
				"sat,sun, not '%s'", section, name, value);
		break;
	}
	return 1;
}

static bool given(const char *section, const char *key, void *data)
{
	const struct reader *rd = data;
	const struct sw_rule_section *s = find_section(section);
	const struct sw_rule_key *k = s ? find_key(s, key) : NULL;

	return k && was_given(rd, k);
}

int sw_rulefile_read(FILE *f, const char *name, struct sw_rules *r, char *err,
		     size_t errlen)
{
	struct reader rd = { .f = f, .name = name, .r = r, .err = err,
			     .errlen = errlen };
	const char *why;
	int line;

	if (errlen)
		err[0] = '\0';
	sw_rules_defaults(r);
	line = ini_parse_stream(read_line, &rd, handler, &rd);
	if (rd.nomem || line == -2)
		return -1;
	if (line > 0 && (unsigned)line != rd.last_error_line) {
		/* inih's own complaint: not a key, not a section. */
		unsigned at = rd.line;

		rd.line = (unsigned)line;
		problem(&rd, "expected 'key = value' or '[section]'");
		rd.line = at;
	}
	if (ferror(f)) {
		problem(&rd, "read error");
	} else if (!rd.errors && (why = sw_rules_finish(r, given, &rd))) {
		rd.line = 0;
		problem(&rd, "%s", why);
	}
	if (rd.errors > MAX_ERRORS && errlen > 1) {
		size_t n = strlen(err);

		snprintf(err + n, errlen - n, "%s: %d more problems\n", name,
			 rd.errors - MAX_ERRORS);
	}
	return rd.errors;
}

static void print_names(const struct sw_names *l, FILE *out)
{
	size_t col = 0;

	for (unsigned i = 0; i < l->n; i++) {
		size_t n = strlen(l->v[i]);

		if (col && col + n > 64) {
			fputs("\n\t", out);	/* inih continues indented lines */
			col = 0;
		}
		fprintf(out, "%s%s", col || !i ? " " : "", l->v[i]);
		col += n + 1;
	}
}

static void print_days(unsigned days, FILE *out)
{
	bool sep = false;

	for (unsigned d = 1; d <= 7; d++)	/* Monday first */
		if (days & (1u << (d % 7))) {
			fprintf(out, "%s%s", sep ? "," : " ", day_names[d % 7]);
			sep = true;
		}
}

void sw_rulefile_print(const struct sw_rules *r, FILE *out)
{
	unsigned n;
	const struct sw_rule_section *const *s = sw_rule_sections(&n);

	for (unsigned i = 0; i < n; i++) {
		fprintf(out, "%s[%s]\n", i ? "\n" : "", s[i]->name);
		for (const struct sw_rule_key *k = s[i]->keys; k->name; k++) {
			const void *field = (const char *)r + k->off;

			fprintf(out, "%s =", k->name);
			switch (k->type) {
			case SW_KEY_BOOL:
				fputs(*(const bool *)field ? " yes" : " no", out);
				break;
			case SW_KEY_UINT:
				fprintf(out, " %u", *(const unsigned *)field);
				break;
			case SW_KEY_NAMES:
			case SW_KEY_PATHS:
				print_names(field, out);
				break;
			case SW_KEY_HOURS:
				if (r->hours.have_hours)
					fprintf(out, " %02u:%02u-%02u:%02u",
						r->hours.from_min / 60,
						r->hours.from_min % 60,
						r->hours.to_min / 60,
						r->hours.to_min % 60);
				break;
			case SW_KEY_DAYS:
				print_days(*(const unsigned *)field, out);
				break;
			}
			fputc('\n', out);
		}
	}
}

void sw_rules_free(struct sw_rules *r)
{
	while (r->strings) {
		struct sw_strings *next = r->strings->next;

		free(r->strings);
		r->strings = next;
	}
}
