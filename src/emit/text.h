/* SPDX-License-Identifier: MIT */
/*
 * Hostile strings made safe to print.  comm, argv, exe and cwd come from
 * processes and may hold anything: invalid UTF-8, newlines, escape codes.
 */
#ifndef SW_TEXT_H
#define SW_TEXT_H

#include <stddef.h>

#include "buf.h"

/*
 * Appends p[0..n) as valid UTF-8: each byte that is not part of a valid
 * sequence becomes the four characters \xNN.  Control characters are kept
 * (the JSON encoder escapes them).  Returns 0 or -ENOMEM.
 */
int sw_text_utf8(struct sw_buf *out, const char *p, size_t n);

/*
 * Appends p[0..n) quoted so that a POSIX shell reads it back as the same
 * word: bare when safe, '...' when printable, $'...' with \xNN escapes when
 * it holds control characters or invalid UTF-8.
 */
int sw_text_shell_quote(struct sw_buf *out, const char *p, size_t n);

/* Length of the valid UTF-8 sequence at p (1-4), or 0 if invalid. */
size_t sw_text_utf8_seq(const unsigned char *p, size_t n);

#endif
