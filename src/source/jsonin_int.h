/* SPDX-License-Identifier: MIT */
/*
 * Inside jsonin: the parser's state and the typed getters shared by
 * jsonin.c (the line, the common keys) and jsonin_kinds.c (the keys of
 * each kind of event and of a process).
 */
#ifndef SW_JSONIN_INT_H
#define SW_JSONIN_INT_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "buf.h"
#include "event.h"

/* The highest signal number on Linux (SIGRTMAX); a wait status holds 7 bits. */
#define SIG_LAST 64
#define SIG_NAME_LEN 16

struct sw_jsonin {
	/*
	 * Copies of the line's strings.  It is reserved to the line's length
	 * before parsing and never grows during it, so the pointers handed
	 * out stay valid: a JSON string never decodes to more bytes than it
	 * takes in the line, and its two quotes pay for the NUL of its copy.
	 */
	struct sw_buf store;
	const char *tags[SW_TAGS_MAX];
	unsigned n_tags;
	const char *host;
	/* What sw_emit_signame() writes, by number: the inverse is a lookup. */
	char signame[SIG_LAST + 1][SIG_NAME_LEN];
};

/* State of one sw_jsonin_parse() call. */
struct sw_jsonin_ctx {
	struct sw_jsonin *in;
	struct sw_event *ev;
	char *err;
	size_t errlen;
	const char *where;	/* error messages start with it: the object */
	char where_buf[32];
	/* Credentials as read; the event gets them only all four together. */
	json_int_t cred[4];
	unsigned have_cred;	/* bit i: cred[i] was present */
};

int sw_jsonin_fail(struct sw_jsonin_ctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
const char *sw_jsonin_keep(struct sw_jsonin_ctx *c, const char *s, size_t n);
/* A string without NULs, or NULL. */
const char *sw_jsonin_plain_string(json_t *v);

/* Each getter returns 1 when the key is there, 0 when not, -1 on error. */
int sw_jsonin_get_int(struct sw_jsonin_ctx *c, json_t *o, const char *key,
		      json_int_t min, json_int_t max, json_int_t *ret);
int sw_jsonin_get_pid(struct sw_jsonin_ctx *c, json_t *o, const char *key,
		      int *ret);
int sw_jsonin_get_uint(struct sw_jsonin_ctx *c, json_t *o, const char *key,
		       unsigned *ret);
int sw_jsonin_get_bool(struct sw_jsonin_ctx *c, json_t *o, const char *key,
		       bool *ret);
int sw_jsonin_get_double(struct sw_jsonin_ctx *c, json_t *o, const char *key,
			 double *ret);
/* A number of seconds, 0 .. SW_DURATION_MAX_S, else out of range. */
int sw_jsonin_get_seconds(struct sw_jsonin_ctx *c, json_t *o, const char *key,
			  double *ret);
int sw_jsonin_get_typed(struct sw_jsonin_ctx *c, json_t *o, const char *key,
			json_type type, const char *what, json_t **ret);
int sw_jsonin_keep_cstr(struct sw_jsonin_ctx *c, json_t *v, const char **ret);
int sw_jsonin_get_str(struct sw_jsonin_ctx *c, json_t *o, const char *key,
		      const char **ret);

/* jsonin_kinds.c: the keys of a process, and of the event's kind. */
int sw_jsonin_get_process(struct sw_jsonin_ctx *c, json_t *o);
int sw_jsonin_get_kind(struct sw_jsonin_ctx *c, json_t *o);

#endif
