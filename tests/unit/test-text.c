/* SPDX-License-Identifier: MIT */
/*
 * Hostile strings: UTF-8 repair and shell quoting (RELIABILITY item 20),
 * what a terminal must never be shown raw (C0, DEL, C1, bidi controls,
 * line separators; all non-ASCII outside a UTF-8 locale), the locale's
 * charset, and the text emitter quoting every string it prints.
 */
#include "config.h"

#include <errno.h>
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "buf.h"
#include "emit.h"
#include "stats.h"
#include "text.h"

/* Compares the n bytes b holds with want and frees it. */
static void expect(struct sw_buf *b, const char *want)
{
	assert_non_null(b->data);
	assert_int_equal(b->len, strlen(want));
	assert_string_equal(b->data, want);
	sw_buf_free(b);
}

static void check_utf8(const char *p, size_t n, const char *want)
{
	struct sw_buf b = { 0 };

	assert_int_equal(sw_text_utf8(&b, p, n), 0);
	expect(&b, want);
}

static void check_quote(const char *p, size_t n, enum sw_text_charset cs,
			const char *want)
{
	struct sw_buf b = { 0 };

	assert_int_equal(sw_text_shell_quote(&b, p, n, cs), 0);
	expect(&b, want);
}

#define UTF8(s, want) check_utf8(s, sizeof(s) - 1, want)
/* Quoted for a UTF-8 terminal, and for an ASCII one. */
#define QUOTE(s, want) check_quote(s, sizeof(s) - 1, SW_TEXT_UTF8, want)
#define QUOTE_A(s, want) check_quote(s, sizeof(s) - 1, SW_TEXT_ASCII, want)
/* Both: what has nothing past ASCII, or escapes all of it anyway. */
#define QUOTE2(s, want) (QUOTE(s, want), QUOTE_A(s, want))

static void test_utf8_valid(void **state)
{
	UTF8("plain ascii", "plain ascii");
	UTF8("caf\xc3\xa9", "caf\xc3\xa9");			/* 2 bytes */
	UTF8("\xe2\x82\xac 5", "\xe2\x82\xac 5");		/* 3 bytes */
	UTF8("\xf0\x9f\x98\x80!", "\xf0\x9f\x98\x80!");		/* 4 bytes */
	UTF8("\xc2\x80", "\xc2\x80");				/* U+0080 */
	UTF8("\xed\x9f\xbf", "\xed\x9f\xbf");			/* U+D7FF */
	UTF8("\xee\x80\x80", "\xee\x80\x80");			/* U+E000 */
	UTF8("\xef\xbf\xbf", "\xef\xbf\xbf");			/* U+FFFF */
	UTF8("\xf4\x8f\xbf\xbf", "\xf4\x8f\xbf\xbf");		/* U+10FFFF */
	/* Control characters are the JSON encoder's job. */
	UTF8("a\nb\x1b[0m\t", "a\nb\x1b[0m\t");
	UTF8("", "");
}

static void test_utf8_invalid(void **state)
{
	UTF8("\xff", "\\xff");
	UTF8("a\xff" "b", "a\\xffb");
	UTF8("\x80", "\\x80");					/* lone continuation */
	UTF8("x\xbf\xbfy", "x\\xbf\\xbfy");
	UTF8("ab\xe2\x82", "ab\\xe2\\x82");			/* cut at the end */
	UTF8("\xf0\x9f\x98", "\\xf0\\x9f\\x98");
	UTF8("\xc3", "\\xc3");
	UTF8("\xc3z", "\\xc3z");				/* bad continuation */
	UTF8("\xc0\xaf", "\\xc0\\xaf");				/* overlong '/' */
	UTF8("\xc1\xbf", "\\xc1\\xbf");
	UTF8("\xe0\x80\xaf", "\\xe0\\x80\\xaf");		/* overlong, 3 bytes */
	UTF8("\xf0\x80\x80\xaf", "\\xf0\\x80\\x80\\xaf");	/* overlong, 4 bytes */
	UTF8("\xed\xa0\x80", "\\xed\\xa0\\x80");		/* surrogate D800 */
	UTF8("\xed\xbf\xbf", "\\xed\\xbf\\xbf");		/* surrogate DFFF */
	UTF8("\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80");	/* U+110000 */
	UTF8("\xf5\x80\x80\x80", "\\xf5\\x80\\x80\\x80");
	UTF8("\xfe\xff", "\\xfe\\xff");
	/* A valid sequence right after an invalid byte survives. */
	UTF8("\xe2\xe2\x82\xac", "\\xe2\xe2\x82\xac");
}

static void test_utf8_nul_and_append(void **state)
{
	struct sw_buf b = { 0 };

	assert_int_equal(sw_buf_puts(&b, "k="), 0);
	assert_int_equal(sw_text_utf8(&b, "a\0\xff", 3), 0);
	assert_int_equal(b.len, 2 + 2 + 4);
	assert_memory_equal(b.data, "k=a\0\\xff", 8);
	assert_int_equal(b.data[b.len], '\0');
	/* Only n bytes are read, even with more in memory. */
	b.len = 0;
	assert_int_equal(sw_text_utf8(&b, "\xe2\x82\xac", 2), 0);
	assert_string_equal(b.data, "\\xe2\\x82");
	sw_buf_free(&b);
}

static void test_utf8_seq(void **state)
{
	const unsigned char *u;

	u = (const unsigned char *)"A";
	assert_int_equal(sw_text_utf8_seq(u, 1), 1);
	u = (const unsigned char *)"\xc3\xa9";
	assert_int_equal(sw_text_utf8_seq(u, 2), 2);
	assert_int_equal(sw_text_utf8_seq(u, 1), 0);
	u = (const unsigned char *)"\xe2\x82\xac";
	assert_int_equal(sw_text_utf8_seq(u, 3), 3);
	assert_int_equal(sw_text_utf8_seq(u, 2), 0);
	u = (const unsigned char *)"\xf0\x9f\x98\x80";
	assert_int_equal(sw_text_utf8_seq(u, 4), 4);
	assert_int_equal(sw_text_utf8_seq(u, 3), 0);
	u = (const unsigned char *)"\xed\xa0\x80";
	assert_int_equal(sw_text_utf8_seq(u, 3), 0);
	u = (const unsigned char *)"\x80";
	assert_int_equal(sw_text_utf8_seq(u, 1), 0);
}

static void test_quote_bare(void **state)
{
	QUOTE2("ls", "ls");
	QUOTE2("/usr/bin/x-y_z.1", "/usr/bin/x-y_z.1");
	QUOTE2("--opt=a,b:c@d%e+f", "--opt=a,b:c@d%e+f");
	QUOTE2("0", "0");
}

static void test_quote_single(void **state)
{
	QUOTE2("", "''");
	QUOTE2("a b", "'a b'");
	QUOTE2(" ", "' '");
	QUOTE2("$HOME", "'$HOME'");
	QUOTE2("*", "'*'");
	QUOTE2("a;rm -rf /", "'a;rm -rf /'");
	QUOTE2("back\\slash", "'back\\slash'");
	QUOTE2("\"dq\"", "'\"dq\"'");
	QUOTE2("{\"x\":1}", "'{\"x\":1}'");
	QUOTE("caf\xc3\xa9", "'caf\xc3\xa9'");
	QUOTE_A("caf\xc3\xa9", "$'caf\\xc3\\xa9'");
	QUOTE2("it's", "'it'\\''s'");
	QUOTE2("'", "''\\'''");
}

static void test_quote_ansi(void **state)
{
	QUOTE2("a\nb", "$'a\\x0ab'");
	QUOTE2("\x1b[31mred", "$'\\x1b[31mred'");
	QUOTE2("\xff", "$'\\xff'");
	QUOTE2("x\xc0\xafy", "$'x\\xc0\\xafy'");
	QUOTE2("\x7f", "$'\\x7f'");
	QUOTE2("\t", "$'\\x09'");
	QUOTE2("it's\n", "$'it\\'s\\x0a'");
	QUOTE2("a\\b\r", "$'a\\\\b\\x0d'");
	QUOTE("caf\xc3\xa9\n", "$'caf\xc3\xa9\\x0a'");
	QUOTE_A("caf\xc3\xa9\n", "$'caf\\xc3\\xa9\\x0a'");
	QUOTE2("\xff\n{\"x\":1}", "$'\\xff\\x0a{\"x\":1}'");
}

/* C0 and DEL at their edges: U+001F, U+0020, U+007E, U+007F. */
static void test_quote_c0_edges(void **state)
{
	QUOTE2("\x01", "$'\\x01'");
	QUOTE2("a\x1f", "$'a\\x1f'");
	QUOTE2("a ~", "'a ~'");
	QUOTE2("~\x7f", "$'~\\x7f'");
}

/* C1 (U+0080-U+009F): CSI U+009B and OSC U+009D are what a terminal obeys. */
static void test_quote_c1(void **state)
{
	QUOTE("\xc2\x80", "$'\\xc2\\x80'");			/* U+0080 */
	QUOTE("\xc2\x85", "$'\\xc2\\x85'");			/* NEL */
	QUOTE("\xc2\x9b" "31m", "$'\\xc2\\x9b31m'");		/* CSI */
	QUOTE("\xc2\x9d" "0;t\x07", "$'\\xc2\\x9d0;t\\x07'");	/* OSC */
	QUOTE("\xc2\x9f", "$'\\xc2\\x9f'");			/* U+009F */
	QUOTE("\xc2\xa0", "'\xc2\xa0'");			/* U+00A0: kept */
	QUOTE("\xc2\xbf", "'\xc2\xbf'");
	QUOTE_A("\xc2\x9b", "$'\\xc2\\x9b'");
	QUOTE_A("\xc2\xa0", "$'\\xc2\\xa0'");
	/* One escaped character makes the word $'...'; the rest stays. */
	QUOTE("\xc3\xa9\xc2\x9b", "$'\xc3\xa9\\xc2\\x9b'");
}

/* Line separators and bidi controls, and the code points around them. */
static void test_quote_bidi(void **state)
{
	QUOTE("\xe2\x80\xa7", "'\xe2\x80\xa7'");		/* U+2027: kept */
	QUOTE("a\xe2\x80\xa8" "b", "$'a\\xe2\\x80\\xa8b'");	/* U+2028 */
	QUOTE("\xe2\x80\xa9", "$'\\xe2\\x80\\xa9'");		/* U+2029 */
	QUOTE("\xe2\x80\xaa", "$'\\xe2\\x80\\xaa'");		/* U+202A LRE */
	QUOTE("\xe2\x80\xac", "$'\\xe2\\x80\\xac'");		/* U+202C PDF */
	QUOTE("x\xe2\x80\xaegpj.exe", "$'x\\xe2\\x80\\xaegpj.exe'"); /* RLO */
	QUOTE("\xe2\x80\xaf", "'\xe2\x80\xaf'");		/* U+202F: kept */
	QUOTE("\xe2\x81\xa5", "'\xe2\x81\xa5'");		/* U+2065: kept */
	QUOTE("\xe2\x81\xa6", "$'\\xe2\\x81\\xa6'");		/* U+2066 LRI */
	QUOTE("\xe2\x81\xa8", "$'\\xe2\\x81\\xa8'");		/* U+2068 FSI */
	QUOTE("\xe2\x81\xa9", "$'\\xe2\\x81\\xa9'");		/* U+2069 PDI */
	QUOTE("\xe2\x81\xaa", "'\xe2\x81\xaa'");		/* U+206A: kept */
	QUOTE_A("\xe2\x80\xaf", "$'\\xe2\\x80\\xaf'");
	QUOTE_A("\xe2\x81\xaa", "$'\\xe2\\x81\\xaa'");
}

/* Not a code point at all: overlong forms, surrogates, stray bytes. */
static void test_quote_invalid(void **state)
{
	QUOTE2("\xc1\x9b", "$'\\xc1\\x9b'");			/* overlong ESC */
	QUOTE2("\xc0\x8a", "$'\\xc0\\x8a'");			/* overlong '\n' */
	QUOTE2("\xe0\x82\x9b", "$'\\xe0\\x82\\x9b'");		/* overlong U+009B */
	QUOTE2("\xe0\x9f\xbf", "$'\\xe0\\x9f\\xbf'");		/* overlong U+07FF */
	QUOTE2("\xf0\x82\x80\xae", "$'\\xf0\\x82\\x80\\xae'");	/* overlong U+202E */
	QUOTE2("\xf0\x8f\xbf\xbf", "$'\\xf0\\x8f\\xbf\\xbf'");	/* overlong U+FFFF */
	QUOTE2("\xed\xa0\x80", "$'\\xed\\xa0\\x80'");		/* surrogate D800 */
	QUOTE2("\xed\xbf\xbf", "$'\\xed\\xbf\\xbf'");		/* surrogate DFFF */
	QUOTE2("\xf4\x90\x80\x80", "$'\\xf4\\x90\\x80\\x80'");	/* U+110000 */
	QUOTE2("\xc2", "$'\\xc2'");				/* cut */
	QUOTE2("\xc2'", "$'\\xc2\\''");
	QUOTE2("\xe2\x80", "$'\\xe2\\x80'");			/* cut U+202x */
	QUOTE2("\x9b", "$'\\x9b'");				/* 8-bit CSI */
	QUOTE2("\xfe\xff", "$'\\xfe\\xff'");
	/* Valid neighbours are kept under UTF-8, escaped under ASCII. */
	QUOTE("\xe2\xe2\x82\xac", "$'\\xe2\xe2\x82\xac'");
	QUOTE_A("\xe2\xe2\x82\xac", "$'\\xe2\\xe2\\x82\\xac'");
	QUOTE("\xf0\x9f\x98\x80", "'\xf0\x9f\x98\x80'");
	QUOTE_A("\xf0\x9f\x98\x80", "$'\\xf0\\x9f\\x98\\x80'");
	QUOTE("\xef\xbf\xbf", "'\xef\xbf\xbf'");		/* U+FFFF */
	QUOTE("\xf4\x8f\xbf\xbf", "'\xf4\x8f\xbf\xbf'");	/* U+10FFFF */
}

static void test_cp_unsafe(void **state)
{
	static const unsigned unsafe[] = {
		0, 0x1f, 0x7f, 0x80, 0x9b, 0x9d, 0x9f, 0x2028, 0x2029, 0x202a,
		0x202e, 0x2066, 0x2069,
	};
	static const unsigned safe[] = {
		0x20, 0x7e, 0xa0, 0xff, 0x2027, 0x202f, 0x2065, 0x206a,
		0xfeff, 0x10ffff,
	};

	for (size_t i = 0; i < sizeof(unsafe) / sizeof(unsafe[0]); i++)
		assert_true(sw_text_cp_unsafe(unsafe[i]));
	for (size_t i = 0; i < sizeof(safe) / sizeof(safe[0]); i++)
		assert_false(sw_text_cp_unsafe(safe[i]));
}

/*
 * The output is valid UTF-8 (ASCII under SW_TEXT_ASCII) and holds no code
 * point a terminal obeys: checked by a decoder of its own, not text.c's.
 */
static void assert_printable(const struct sw_buf *b, enum sw_text_charset cs)
{
	const unsigned char *u = (const unsigned char *)b->data;

	for (size_t i = 0; i < b->len;) {
		unsigned c = u[i], cp, len = c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;

		assert_true(c < 0x80 || (c >= 0xc2 && c <= 0xf4));
		assert_true(c < 0x80 || cs == SW_TEXT_UTF8);
		assert_true(i + len <= b->len);
		cp = len == 1 ? c : c & (0x7f >> len);
		for (unsigned k = 1; k < len; k++) {
			assert_int_equal(u[i + k] & 0xc0, 0x80);
			cp = cp << 6 | (u[i + k] & 0x3f);
		}
		assert_true(len < 3 || cp >= (len == 3 ? 0x800u : 0x10000u));
		assert_true(cp < 0xd800 || (cp > 0xdfff && cp <= 0x10ffff));
		assert_true(cp >= 0x20 && !(cp >= 0x7f && cp <= 0x9f));
		assert_true(cp < 0x2028 || cp > 0x202e);
		assert_true(cp < 0x2066 || cp > 0x2069);
		i += len;
	}
}

/*
 * Runs bash -c "printf '%s\0' WORD..." and returns its output; words are
 * the quoted strings joined by spaces.  NULL when bash cannot run.
 */
static char *run_bash(const char *words, size_t *ret_len)
{
	struct sw_buf cmd = { 0 }, out = { 0 };
	char chunk[4096];
	int fds[2], status;
	ssize_t n;
	pid_t pid;

	if (access("/bin/bash", X_OK) != 0 || pipe(fds) < 0)
		return NULL;
	assert_int_equal(sw_buf_printf(&cmd, "printf '%%s\\0' %s", words), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		close(fds[1]);
		execl("/bin/bash", "bash", "--norc", "--noprofile", "-c", cmd.data,
		      (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	while ((n = read(fds[0], chunk, sizeof(chunk))) > 0 ||
	       (n < 0 && errno == EINTR))
		if (n > 0)
			assert_int_equal(sw_buf_append(&out, chunk, (size_t)n), 0);
	close(fds[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	sw_buf_free(&cmd);
	if (!WIFEXITED(status) || WEXITSTATUS(status) == 127) {
		sw_buf_free(&out);
		return NULL;
	}
	assert_int_equal(WEXITSTATUS(status), 0);
	*ret_len = out.len;
	if (!out.data)
		return strdup("");
	return out.data;
}

/*
 * Every byte 1..255 alone and inside a word, every code point that is
 * escaped and its neighbours, and some hostile words: under both charsets
 * bash reads each quoted word back as exactly the bytes it was.
 */
static void round_trip(enum sw_text_charset cs)
{
	static const char *const hostile[] = {
		"", "it's", "a b", "\xff\n{\"x\":1}", "\x1b]0;title\a",
		"\\", "\\x41", "$'x'", "`id`", "$(id)", "caf\xc3\xa9\n",
		"\xed\xa0\x80", "!!", "a\\\n'b'", "\xc2\x9b" "31m'\xc2\x9d",
		"a\xe2\x80\xae" "b'c\\", "\xe2\x80\xa8\xe2\x80\xa9\xe2\x80\xaf",
		"\xe2\x81\xa5\xe2\x81\xa6\xe2\x81\xa9\xe2\x81\xaa", "\xc2\xa0'",
		"\xc2\x7f\xc2", "\xe0\x82\x9b", "\xf0\x9f\x98\x80" "\\'",
	};
	struct sw_buf words = { 0 }, want = { 0 }, q = { 0 };
	size_t len = 0;
	char *got;

	for (int c = 1; c < 256; c++) {
		char s[4] = { 'x', (char)c, 'y', (char)c };

		for (size_t n = 1; n <= 4; n += 3) {
			const char *p = n == 1 ? s + 1 : s;

			q.len = 0;
			assert_int_equal(sw_text_shell_quote(&q, p, n, cs), 0);
			assert_printable(&q, cs);
			assert_int_equal(sw_buf_append(&words, q.data, q.len), 0);
			assert_int_equal(sw_buf_putc(&words, ' '), 0);
			assert_int_equal(sw_buf_append(&want, p, n), 0);
			assert_int_equal(sw_buf_putc(&want, '\0'), 0);
		}
	}
	/* U+0080..U+00BF, U+2020..U+206F: 2 and 3 bytes. */
	for (unsigned cp = 0x80; cp < 0x2070; cp = cp == 0xbf ? 0x2020 : cp + 1) {
		char u[3];
		size_t n = cp < 0x800 ? 2 : 3;

		if (n == 2) {
			u[0] = (char)(0xc0 | cp >> 6);
			u[1] = (char)(0x80 | (cp & 0x3f));
		} else {
			u[0] = (char)(0xe0 | cp >> 12);
			u[1] = (char)(0x80 | (cp >> 6 & 0x3f));
			u[2] = (char)(0x80 | (cp & 0x3f));
		}
		q.len = 0;
		assert_int_equal(sw_text_shell_quote(&q, u, n, cs), 0);
		assert_printable(&q, cs);
		/* What is kept raw is kept inside '...', nothing else. */
		if (cs == SW_TEXT_UTF8 && !sw_text_cp_unsafe(cp))
			assert_int_equal(q.len, n + 2);
		assert_int_equal(sw_buf_append(&words, q.data, q.len), 0);
		assert_int_equal(sw_buf_putc(&words, ' '), 0);
		assert_int_equal(sw_buf_append(&want, u, n), 0);
		assert_int_equal(sw_buf_putc(&want, '\0'), 0);
	}
	for (size_t i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
		q.len = 0;
		assert_int_equal(sw_text_shell_quote(&q, hostile[i],
						     strlen(hostile[i]), cs), 0);
		assert_printable(&q, cs);
		assert_int_equal(sw_buf_append(&words, q.data, q.len), 0);
		assert_int_equal(sw_buf_putc(&words, ' '), 0);
		assert_int_equal(sw_buf_append(&want, hostile[i],
					       strlen(hostile[i]) + 1), 0);
	}
	got = run_bash(words.data, &len);
	if (!got) {
		print_message("bash not available: exact strings only\n");
	} else {
		assert_int_equal(len, want.len);
		assert_memory_equal(got, want.data, len);
		free(got);
	}
	sw_buf_free(&words);
	sw_buf_free(&want);
	sw_buf_free(&q);
}

static void test_quote_round_trip(void **state)
{
	round_trip(SW_TEXT_UTF8);
	round_trip(SW_TEXT_ASCII);
}

static void test_charset_of(void **state)
{
	assert_int_equal(sw_text_charset_of("UTF-8"), SW_TEXT_UTF8);
	assert_int_equal(sw_text_charset_of("utf-8"), SW_TEXT_UTF8);
	assert_int_equal(sw_text_charset_of("UTF8"), SW_TEXT_UTF8);
	assert_int_equal(sw_text_charset_of("utf8"), SW_TEXT_UTF8);
	assert_int_equal(sw_text_charset_of("ANSI_X3.4-1968"), SW_TEXT_ASCII);
	assert_int_equal(sw_text_charset_of("ISO-8859-1"), SW_TEXT_ASCII);
	assert_int_equal(sw_text_charset_of("UTF-16"), SW_TEXT_ASCII);
	assert_int_equal(sw_text_charset_of(""), SW_TEXT_ASCII);
	assert_int_equal(sw_text_charset_of(NULL), SW_TEXT_ASCII);
}

/* The environment as a locale is chosen from it: LC_ALL, LC_CTYPE, LANG. */
static enum sw_text_charset locale_of(const char *all, const char *ctype,
				      const char *lang)
{
	enum sw_text_charset cs;
	const char *now;

	assert_int_equal(all ? setenv("LC_ALL", all, 1) : unsetenv("LC_ALL"), 0);
	assert_int_equal(ctype ? setenv("LC_CTYPE", ctype, 1) : unsetenv("LC_CTYPE"), 0);
	assert_int_equal(lang ? setenv("LANG", lang, 1) : unsetenv("LANG"), 0);
	cs = sw_text_locale();
	/* Left as it was: the program's own ctype stays "C". */
	now = setlocale(LC_CTYPE, NULL);
	assert_non_null(now);
	assert_string_equal(now, "C");
	return cs;
}

/* "ünï" under the locale's charset: the C locale escapes, UTF-8 keeps. */
static void quote_in(enum sw_text_charset cs, const char *want)
{
	check_quote("\xc3\xbcn\xc3\xaf", 5, cs, want);
}

static void test_locale(void **state)
{
	bool have_utf8 = setlocale(LC_CTYPE, "C.UTF-8") != NULL;

	setlocale(LC_CTYPE, "C");
	assert_int_equal(locale_of("C", NULL, NULL), SW_TEXT_ASCII);
	assert_int_equal(locale_of("POSIX", NULL, NULL), SW_TEXT_ASCII);
	assert_int_equal(locale_of(NULL, NULL, NULL), SW_TEXT_ASCII);
	/* A locale that is not installed: escape, whatever its name says. */
	assert_int_equal(locale_of("xx_NOWHERE.UTF-8", NULL, NULL), SW_TEXT_ASCII);
	quote_in(locale_of("C", NULL, "C.UTF-8"), "$'\\xc3\\xbcn\\xc3\\xaf'");
	if (!have_utf8) {
		print_message("no C.UTF-8 locale here: UTF-8 cases skipped\n");
		return;
	}
	assert_int_equal(locale_of("C.UTF-8", NULL, NULL), SW_TEXT_UTF8);
	assert_int_equal(locale_of("C.utf8", NULL, NULL), SW_TEXT_UTF8);
	assert_int_equal(locale_of(NULL, "C.UTF-8", "C"), SW_TEXT_UTF8);
	assert_int_equal(locale_of(NULL, NULL, "C.UTF-8"), SW_TEXT_UTF8);
	assert_int_equal(locale_of(NULL, "C", "C.UTF-8"), SW_TEXT_ASCII);
	quote_in(locale_of(NULL, NULL, "C.UTF-8"), "'\xc3\xbcn\xc3\xaf'");
	/* Printable non-ASCII is kept, C1 and bidi are not, even so. */
	check_quote("\xc3\xbc\xc2\x9b\xe2\x80\xae", 7, locale_of("C.UTF-8", NULL, NULL),
		    "$'\xc3\xbc\\xc2\\x9b\\xe2\\x80\\xae'");
}

/* The text emitter: every string it prints is quoted, under em's charset. */
static const char *text_line(struct sw_emit *em, const struct sw_event *ev,
			     struct sw_buf *out)
{
	struct sw_buf b = { 0 };

	out->len = 0;
	assert_int_equal(sw_emit_event(em, ev, out), 0);
	assert_true(out->len > 0 && out->data[out->len - 1] == '\n');
	assert_null(memchr(out->data, '\n', out->len - 1));
	assert_int_equal(sw_buf_append(&b, out->data, out->len - 1), 0);
	assert_printable(&b, em->charset);
	sw_buf_free(&b);
	return out->data;
}

static void test_emit_text(void **state)
{
	static const char argv[] = "ls\0\xc2\x9b" "2J\0caf\xc3\xa9\0";
	struct sw_start_info si = { .version = "1.0", .kernel = "6.1\xe2\x80\xae" };
	struct sw_emit em;
	struct sw_event *ev = calloc(1, sizeof(*ev));
	struct sw_buf out = { 0 };

	assert_non_null(ev);
	sw_emit_init(&em, &sw_emit_text_ops, false);
	snprintf(em.host, sizeof(em.host), "h\xc2\x9d");
	ev->type = SW_EV_EXEC;
	ev->pid = ev->tid = 7;
	ev->have = SW_HAVE_ARGV | SW_HAVE_COMM;
	ev->argv = argv;
	ev->argv_len = sizeof(argv) - 1;
	ev->comm = "ls";
	ev->user = "\xe2\x81\xa6u";
	ev->tags[0] = "exec-from-tmp";
	ev->tags[1] = "t\xe2\x80\xa8";
	ev->n_tags = 2;
	assert_non_null(strstr(text_line(&em, ev, &out),
			       " $'\\xe2\\x81\\xa6u' ls $'\\xc2\\x9b2J' 'caf\xc3\xa9'"
			       " [exec-from-tmp,$'t\\xe2\\x80\\xa8']\n"));
	em.charset = SW_TEXT_ASCII;
	assert_non_null(strstr(text_line(&em, ev, &out), " $'caf\\xc3\\xa9' [exec"));
	em.charset = SW_TEXT_UTF8;

	ev->have = SW_HAVE_COMM;
	ev->n_tags = 0;
	ev->comm = "\xc2\x85";
	assert_non_null(strstr(text_line(&em, ev, &out), " [$'\\xc2\\x85']\n"));

	ev->type = SW_EV_LOST;
	ev->u.lost.count = 2;
	ev->u.lost.reason = "enobufs";
	assert_non_null(strstr(text_line(&em, ev, &out), " 2 events lost (enobufs)\n"));
	ev->u.lost.reason = "x\xc2\x9b" "2J\x1b]0;t\x07";
	assert_non_null(strstr(text_line(&em, ev, &out),
			       " 2 events lost ($'x\\xc2\\x9b2J\\x1b]0;t\\x07')\n"));
	ev->u.lost.count = -1;
	ev->u.lost.reason = "\xc3\xa9";
	assert_non_null(strstr(text_line(&em, ev, &out),
			       " events lost ('\xc3\xa9'), count unknown\n"));
	ev->u.lost.reason = NULL;
	assert_non_null(strstr(text_line(&em, ev, &out), " events lost ('?'), count unknown\n"));

	memset(ev, 0, offsetof(struct sw_event, ancestry));
	ev->type = SW_EV_ANOMALY;
	ev->u.anomaly.tag = "zombie\xe2\x80\xa9";
	ev->u.anomaly.count = 3;
	ev->u.anomaly.threshold = 2;
	assert_non_null(strstr(text_line(&em, ev, &out),
			       " $'zombie\\xe2\\x80\\xa9': 3 (threshold 2), oldest 0.0s\n"));

	ev->type = SW_EV_PTRACE;
	ev->u.ptrace.tracer_pid = 9;
	ev->u.ptrace.tracer_comm = "gdb\xc2\x9b";
	assert_non_null(strstr(text_line(&em, ev, &out), " attached by 9 $'gdb\\xc2\\x9b'\n"));

	ev->type = SW_EV_COMM;
	memcpy(ev->u.comm.comm, "\xe2\x80\xae" "fdp.exe", 11);
	memcpy(ev->u.comm.prev, "a\xc2\x80", 4);
	ev->u.comm.have_prev = true;
	assert_non_null(strstr(text_line(&em, ev, &out),
			       " renamed $'a\\xc2\\x80' -> $'\\xe2\\x80\\xaefdp.exe'\n"));

	ev->type = SW_EV_START;
	ev->start = &si;
	assert_non_null(strstr(text_line(&em, ev, &out),
			       " spawnwatch 1.0 on $'h\\xc2\\x9d' (kernel $'6.1\\xe2\\x80\\xae'),"
			       " 0 processes tracked\n"));
	snprintf(em.host, sizeof(em.host), "web1");
	si.kernel = "6.1.0-18-amd64";
	assert_non_null(strstr(text_line(&em, ev, &out),
			       " spawnwatch 1.0 on web1 (kernel 6.1.0-18-amd64), 0 processes"));
	sw_emit_fini(&em);
	sw_buf_free(&out);
	free(ev);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_valid),
		cmocka_unit_test(test_utf8_invalid),
		cmocka_unit_test(test_utf8_nul_and_append),
		cmocka_unit_test(test_utf8_seq),
		cmocka_unit_test(test_quote_bare),
		cmocka_unit_test(test_quote_single),
		cmocka_unit_test(test_quote_ansi),
		cmocka_unit_test(test_quote_c0_edges),
		cmocka_unit_test(test_quote_c1),
		cmocka_unit_test(test_quote_bidi),
		cmocka_unit_test(test_quote_invalid),
		cmocka_unit_test(test_cp_unsafe),
		cmocka_unit_test(test_quote_round_trip),
		cmocka_unit_test(test_charset_of),
		cmocka_unit_test(test_locale),
		cmocka_unit_test(test_emit_text),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
