/* SPDX-License-Identifier: MIT */
/*
 * Sends a forged proc-connector EXEC event for PID, the way a hostile local
 * root process could: unicast to netlink port PORT, or to the whole
 * CN_IDX_PROC group when PORT is "group".  nlmsg_pid is 0, as the kernel's.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/cn_proc.h>
#include <linux/connector.h>
#include <linux/netlink.h>

int main(int argc, char **argv)
{
	struct {
		struct nlmsghdr nlh;
		struct cn_msg cn;
		struct proc_event ev;
	} __attribute__((packed)) msg;
	struct sockaddr_nl dst = { .nl_family = AF_NETLINK };
	struct sockaddr_nl me = { .nl_family = AF_NETLINK };
	int fd;

	if (argc != 3) {
		fprintf(stderr, "usage: forge PORT|group PID\n");
		return 2;
	}
	memset(&msg, 0, sizeof(msg));
	msg.nlh.nlmsg_len = sizeof(msg);
	msg.nlh.nlmsg_type = NLMSG_DONE;
	msg.nlh.nlmsg_pid = 0;
	msg.cn.id.idx = CN_IDX_PROC;
	msg.cn.id.val = CN_VAL_PROC;
	msg.cn.len = sizeof(msg.ev);
	msg.ev.what = PROC_EVENT_EXEC;
	msg.ev.event_data.exec.process_pid = atoi(argv[2]);
	msg.ev.event_data.exec.process_tgid = atoi(argv[2]);
	if (strcmp(argv[1], "group") == 0)
		dst.nl_groups = CN_IDX_PROC;
	else
		dst.nl_pid = (unsigned)strtoul(argv[1], NULL, 10);
	fd = socket(AF_NETLINK, SOCK_DGRAM, NETLINK_CONNECTOR);
	if (fd < 0 || bind(fd, (struct sockaddr *)&me, sizeof(me)) < 0) {
		perror("forge: socket");
		return 1;
	}
	if (sendto(fd, &msg, sizeof(msg), 0, (struct sockaddr *)&dst,
		   sizeof(dst)) < 0) {
		perror("forge: sendto");
		return 1;
	}
	close(fd);
	return 0;
}
