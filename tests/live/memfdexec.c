/* SPDX-License-Identifier: MIT */
/*
 * Fileless execution, as malware does it: copies a binary into a memfd and
 * executes that.  memfdexec BINARY [ARG...]; argv[0] is kept as given.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv)
{
	struct stat st;
	int in, mem;

	if (argc < 2) {
		fprintf(stderr, "usage: memfdexec BINARY [ARG...]\n");
		return 2;
	}
	in = open(argv[1], O_RDONLY | O_CLOEXEC);
	mem = memfd_create("payload", MFD_CLOEXEC);
	if (in < 0 || mem < 0 || fstat(in, &st) < 0 ||
	    sendfile(mem, in, NULL, (size_t)st.st_size) != st.st_size) {
		perror("memfdexec");
		return 1;
	}
	fexecve(mem, argv + 1, environ);
	perror("memfdexec: fexecve");
	return 1;
}
