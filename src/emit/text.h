/* SPDX-License-Identifier: MIT */
/*
 * Hostile strings made safe to print.  comm, argv, exe and cwd come from
 * processes, and a replayed log's strings from whoever wrote it: they may
 * hold anything, invalid UTF-8, newlines, escape codes, the C1 controls a
 * terminal obeys (U+009B is CSI), bidi overrides that show a line in
 * another order than it reads, line separators.
 */
#ifndef SW_TEXT_H
#define SW_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

/*
 * What a terminal may be shown raw of text that is not ASCII: printable
 * UTF-8 when its locale's codeset is UTF-8, nothing past ASCII otherwise
 * (the bytes of a UTF-8 sequence mean something else to it).
 */
enum sw_text_charset {
	SW_TEXT_UTF8,
	SW_TEXT_ASCII,
};

/*
 * Appends p[0..n) as valid UTF-8: each byte that is not part of a valid
 * sequence becomes the four characters \xNN.  Control characters are kept
 * (the JSON encoder escapes them).  Returns 0 or -ENOMEM.
 */
int sw_text_utf8(struct sw_buf *out, const char *p, size_t n);

/*
 * Appends p[0..n) quoted so that a POSIX shell reads it back as the same
 * word: bare when safe, '...' when printable, and bash's $'...' when it
 * holds anything a terminal must not be shown raw, each byte of that as
 * \xNN: C0 controls and DEL, C1 controls (U+0080-U+009F), the bidi
 * embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069), the
 * line and paragraph separators (U+2028, U+2029), invalid UTF-8, and under
 * SW_TEXT_ASCII every byte past ASCII.  The one quoting of every string a
 * process or a log controls, wherever text output shows it.
 */
int sw_text_shell_quote(struct sw_buf *out, const char *p, size_t n,
			enum sw_text_charset cs);

/* Length of the valid UTF-8 sequence at p (1-4), or 0 if invalid. */
size_t sw_text_utf8_seq(const unsigned char *p, size_t n);

/* Whether a code point is one that text output escapes even in UTF-8. */
bool sw_text_cp_unsafe(unsigned cp);

/* The charset a codeset name (nl_langinfo(CODESET)) allows. */
enum sw_text_charset sw_text_charset_of(const char *codeset);

/*
 * The charset of the environment's LC_CTYPE (LC_ALL, LC_CTYPE, LANG):
 * SW_TEXT_ASCII when it is not UTF-8 or names no installed locale.  Sets
 * LC_CTYPE to the environment's to read its codeset, then back to what it
 * was: call it once, before any thread starts.
 */
enum sw_text_charset sw_text_locale(void);

#endif
