#!/bin/sh
# The suite's test runner (LOG_COMPILER): each test runs under a time
# limit, so that one that hangs fails as a hard error (99) and the suite
# goes on to its end instead of holding the whole run.  timeout(1) signals
# the test's whole process group: the spawnwatch it started ends too.
# SW_TEST_LIMIT=SECONDS sets the limit (600).
limit=${SW_TEST_LIMIT:-600}
st=0
timeout -k 10 "$limit" "$@" || st=$?
if [ "$st" = 124 ] || [ "$st" = 137 ]; then
	echo "ERROR: $* ran past its ${limit} s limit (SW_TEST_LIMIT)" >&2
	exit 99
fi
exit "$st"
