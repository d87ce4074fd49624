/* SPDX-License-Identifier: MIT */
/*
 * The jansson building blocks (emit_json.c) of the oracles of the JSON
 * writer, for --format json (emit_json_ref.c) and --format ecs
 * (emit_ecs_ref.c), so that both build a process's strings, argv, ancestry
 * and spawnwatch's own figures byte for byte the same way.  Built into the
 * unit tests and the fuzzers only (libswref.a), not into the program.
 *
 * Each returns a new reference, or NULL when out of memory.
 */
#ifndef SW_EMIT_JSON_H
#define SW_EMIT_JSON_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "buf.h"
#include "emit.h"
#include "event.h"

struct sw_start_info;
struct sw_stats;

/*
 * A string from a process, s[0..n), made valid UTF-8: each byte that is not
 * part of a valid sequence becomes \xNN (jansson escapes control bytes).
 * Uses em->scratch.
 */
json_t *sw_json_hostile(struct sw_emit *em, const char *s, size_t n);

/* argv (NUL-separated, len bytes) as an array of strings. */
json_t *sw_json_argv(struct sw_emit *em, const char *argv, size_t len);
/* [{pid, comm, exe}], parent first. */
json_t *sw_json_ancestry(struct sw_emit *em, const struct sw_event *ev);
/* {peer, port, proto, via, holder} of a shell wired to a peer. */
json_t *sw_json_net(struct sw_emit *em, const struct sw_event *ev);
/* {id, runtime} of ev's container. */
json_t *sw_json_container(struct sw_emit *em, const struct sw_event *ev);
/* {mnt, pid} namespace inode numbers. */
json_t *sw_json_ns(uint64_t mnt, uint64_t pid);
/* ev's tags as an array of strings. */
json_t *sw_json_tags(const struct sw_event *ev);
/* A lifetime in seconds, cut to the microsecond. */
json_t *sw_json_duration(double s);
/* An anomaly's figures: {count, threshold, window_s, oldest_s}. */
json_t *sw_json_anomaly_detail(const struct sw_event *ev);
/* The start line's filter: {events, threads, nonzero_exit, where}. */
json_t *sw_json_filter(const struct sw_start_info *si);
/* The stop line's statistics. */
json_t *sw_json_stats(const struct sw_stats *st);

/* Appends o as one compact line ending in '\n': 0 or -errno. */
int sw_json_dump(json_t *o, struct sw_buf *out);

#endif
