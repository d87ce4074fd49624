/* SPDX-License-Identifier: MIT */
/*
 * A program that takes any command line and does nothing for a moment
 * (IDLE_MS, default 1500 ms): copied under a miner's name and path and run
 * with its command line, it stays alive while spawnwatch looks at it.
 */
#include <stdlib.h>
#include <time.h>

int main(void)
{
	const char *e = getenv("IDLE_MS");
	long ms = e ? strtol(e, NULL, 10) : 1500;
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
	return 0;
}
