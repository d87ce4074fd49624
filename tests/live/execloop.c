/* SPDX-License-Identifier: MIT */
/*
 * execloop SECONDS [MARK]: execs itself again and again, without forking,
 * for SECONDS: the fastest exec flood an unprivileged user can make (one
 * exec event each, no fork or exit in between).  The deadline rides in
 * argv[1] as CLOCK_MONOTONIC nanoseconds after the first exec.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000000000ull + (unsigned long long)ts.tv_nsec;
}

int main(int argc, char **argv)
{
	char when[32];
	char *args[4] = { argv[0], when, argc > 2 ? argv[2] : NULL, NULL };
	unsigned long long until;

	if (argc < 2)
		return 2;
	if (argv[1][0] == '@')
		until = strtoull(argv[1] + 1, NULL, 10);
	else
		until = now_ns() + (unsigned long long)(atof(argv[1]) * 1e9);
	if (now_ns() >= until)
		return 0;
	snprintf(when, sizeof(when), "@%llu", until);
	execv("/proc/self/exe", args);
	perror("execloop: execv");
	return 127;
}
