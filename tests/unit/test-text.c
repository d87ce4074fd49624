/* SPDX-License-Identifier: MIT */
/* Hostile strings: UTF-8 repair and shell quoting (RELIABILITY item 20). */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "buf.h"
#include "text.h"

/* Runs f over p[0..n) into a fresh buffer and compares with want. */
static void check(int (*f)(struct sw_buf *, const char *, size_t),
		  const char *p, size_t n, const char *want)
{
	struct sw_buf b = { 0 };

	assert_int_equal(f(&b, p, n), 0);
	assert_non_null(b.data);
	assert_int_equal(b.len, strlen(want));
	assert_string_equal(b.data, want);
	sw_buf_free(&b);
}

#define UTF8(s, want) check(sw_text_utf8, s, sizeof(s) - 1, want)
#define QUOTE(s, want) check(sw_text_shell_quote, s, sizeof(s) - 1, want)

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
	QUOTE("ls", "ls");
	QUOTE("/usr/bin/x-y_z.1", "/usr/bin/x-y_z.1");
	QUOTE("--opt=a,b:c@d%e+f", "--opt=a,b:c@d%e+f");
	QUOTE("0", "0");
}

static void test_quote_single(void **state)
{
	QUOTE("", "''");
	QUOTE("a b", "'a b'");
	QUOTE(" ", "' '");
	QUOTE("$HOME", "'$HOME'");
	QUOTE("*", "'*'");
	QUOTE("a;rm -rf /", "'a;rm -rf /'");
	QUOTE("back\\slash", "'back\\slash'");
	QUOTE("\"dq\"", "'\"dq\"'");
	QUOTE("{\"x\":1}", "'{\"x\":1}'");
	QUOTE("caf\xc3\xa9", "'caf\xc3\xa9'");
	QUOTE("it's", "'it'\\''s'");
	QUOTE("'", "''\\'''");
}

static void test_quote_ansi(void **state)
{
	QUOTE("a\nb", "$'a\\x0ab'");
	QUOTE("\x1b[31mred", "$'\\x1b[31mred'");
	QUOTE("\xff", "$'\\xff'");
	QUOTE("x\xc0\xafy", "$'x\\xc0\\xafy'");
	QUOTE("\x7f", "$'\\x7f'");
	QUOTE("\t", "$'\\x09'");
	QUOTE("it's\n", "$'it\\'s\\x0a'");
	QUOTE("a\\b\r", "$'a\\\\b\\x0d'");
	QUOTE("caf\xc3\xa9\n", "$'caf\xc3\xa9\\x0a'");
	QUOTE("\xff\n{\"x\":1}", "$'\\xff\\x0a{\"x\":1}'");
}

/* The output never holds a control byte or invalid UTF-8. */
static void assert_printable(const struct sw_buf *b)
{
	const unsigned char *u = (const unsigned char *)b->data;

	for (size_t i = 0; i < b->len;) {
		size_t len = sw_text_utf8_seq(u + i, b->len - i);

		assert_int_not_equal(len, 0);
		if (len == 1)
			assert_true(u[i] >= 0x20 && u[i] != 0x7f);
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

/* Every byte 1..255 alone and inside a word, and some hostile words. */
static void test_quote_round_trip(void **state)
{
	static const char *const hostile[] = {
		"", "it's", "a b", "\xff\n{\"x\":1}", "\x1b]0;title\a",
		"\\", "\\x41", "$'x'", "`id`", "$(id)", "caf\xc3\xa9\n",
		"\xed\xa0\x80", "!!", "a\\\n'b'",
	};
	struct sw_buf words = { 0 }, want = { 0 }, q = { 0 };
	size_t len = 0;
	char *got;

	for (int c = 1; c < 256; c++) {
		char s[4] = { 'x', (char)c, 'y', (char)c };

		for (size_t n = 1; n <= 4; n += 3) {
			const char *p = n == 1 ? s + 1 : s;

			q.len = 0;
			assert_int_equal(sw_text_shell_quote(&q, p, n), 0);
			assert_printable(&q);
			assert_int_equal(sw_buf_append(&words, q.data, q.len), 0);
			assert_int_equal(sw_buf_putc(&words, ' '), 0);
			assert_int_equal(sw_buf_append(&want, p, n), 0);
			assert_int_equal(sw_buf_putc(&want, '\0'), 0);
		}
	}
	for (size_t i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
		q.len = 0;
		assert_int_equal(sw_text_shell_quote(&q, hostile[i],
						     strlen(hostile[i])), 0);
		assert_printable(&q);
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
		cmocka_unit_test(test_quote_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
