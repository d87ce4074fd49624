/* SPDX-License-Identifier: MIT */
/*
 * A parent that does not reap: forks N children that exit at once, prints
 * "ready", reaps them only when a line arrives on stdin, prints "reaped",
 * and exits at end of input.  For the zombie tests.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 5;
	char line[64];

	for (int i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid < 0) {
			perror("zombies: fork");
			return 1;
		}
		if (pid == 0)
			_exit(0);
	}
	printf("ready %d\n", (int)getpid());
	fflush(stdout);
	if (!fgets(line, sizeof(line), stdin))
		return 0;
	while (wait(NULL) > 0)
		;
	printf("reaped\n");
	fflush(stdout);
	while (fgets(line, sizeof(line), stdin))
		;
	return 0;
}
