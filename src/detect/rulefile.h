/* SPDX-License-Identifier: MIT */
/*
 * The rules file (INI, read with inih): one section per tag, named as the
 * tag, with `enabled` and that tag's thresholds and lists.  Keys, types and
 * ranges come from the detectors' own tables (struct sw_rule_section).
 */
#ifndef SW_RULEFILE_H
#define SW_RULEFILE_H

#include <stdio.h>

#include "detect.h"

/*
 * Reads the rules in f (named name in messages) over the built-in
 * defaults into r.  Returns the number of problems found (0: r is ready),
 * each written to err as a "name:line: reason" line; -1 when out of memory.
 * On problems r still holds what could be read; free it with
 * sw_rules_free().
 */
int sw_rulefile_read(FILE *f, const char *name, struct sw_rules *r, char *err,
		     size_t errlen);

/* The effective rules as a rules file that reads back to the same. */
void sw_rulefile_print(const struct sw_rules *r, FILE *out);

#endif
