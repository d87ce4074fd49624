/* SPDX-License-Identifier: MIT */
/*
 * The process fields of --format ecs (emit_ecs_process.c), written by the
 * JSON writer for the ECS emitter (emit_ecs.c).  Internal to the emitters.
 */
#ifndef SW_EMIT_ECS_H
#define SW_EMIT_ECS_H

#include "emit.h"
#include "event.h"
#include "jsonw.h"

/* The root's "process", "user" and "container" keys of a process event. */
void sw_emit_ecs_process(struct sw_emit *em, struct sw_jsonw *w,
			 const struct sw_event *ev);
/* Its keys under "spawnwatch" that come before those of its kind. */
void sw_emit_ecs_process_sw(struct sw_jsonw *w, const struct sw_event *ev);

#endif
