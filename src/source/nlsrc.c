/* SPDX-License-Identifier: MIT */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/connector.h>
#include <linux/netlink.h>

#include <linux/cn_proc.h>
#include "nlsrc.h"

/* Inode numbers of the initial namespaces (include/linux/proc_ns.h). */
#define PROC_USER_INIT_INO 0xEFFFFFFDU
#define PROC_PID_INIT_INO 0xEFFFFFFCU

struct sw_nlsrc {
	struct mnl_socket *nl;
	int fd;
	int rcvbuf;		/* what SO_RCVBUF reports: twice what was set */
	size_t asked;		/* what was set, as far as the kernel takes it */
	ino_t ino;
};

static int ns_ino(const char *path, ino_t *ret)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return -errno;
	*ret = st.st_ino;
	return 0;
}

/*
 * In a child user or pid namespace the kernel ignores the subscription
 * without a word; refuse up front.  pid 1's links are unreadable on some
 * hosts, so compare with the fixed inode numbers of the initial ones.
 */
int sw_nlsrc_check_namespace(void)
{
	ino_t user, pid;

	if (ns_ino("/proc/self/ns/user", &user) < 0 ||
	    ns_ino("/proc/self/ns/pid", &pid) < 0)
		return 0;	/* cannot tell: the ack decides */
	if (user != PROC_USER_INIT_INO || pid != PROC_PID_INIT_INO)
		return -EXDEV;
	return 0;
}

static size_t rcvbuf_asked(size_t want)
{
	return want > INT32_MAX / 2 ? INT32_MAX / 2 : want;
}

static int set_rcvbuf(int fd, size_t want)
{
	int v = (int)rcvbuf_asked(want);
	socklen_t len = sizeof(v);

	/* FORCE goes past rmem_max but needs CAP_NET_ADMIN. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &v, sizeof(v)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &v, sizeof(v));
	if (getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &v, &len) < 0)
		return -errno;
	return v;
}

int sw_nlsrc_open(size_t rcvbuf, struct sw_nlsrc **ret,
		  enum sw_nl_stage *ret_stage)
{
	struct sw_nlsrc *src;
	struct stat st;
	int r;

	*ret_stage = SW_NL_NAMESPACE;
	r = sw_nlsrc_check_namespace();
	if (r < 0)
		return r;
	src = calloc(1, sizeof(*src));
	if (!src)
		return -ENOMEM;
	*ret_stage = SW_NL_SOCKET;
	src->nl = mnl_socket_open2(NETLINK_CONNECTOR, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (!src->nl) {
		r = -errno;
		goto fail;
	}
	src->fd = mnl_socket_get_fd(src->nl);
	*ret_stage = SW_NL_BIND;
	if (mnl_socket_bind(src->nl, CN_IDX_PROC, MNL_SOCKET_AUTOPID) < 0) {
		r = -errno;
		goto fail;
	}
	src->rcvbuf = set_rcvbuf(src->fd, rcvbuf);
	src->asked = rcvbuf_asked(rcvbuf);
	if (fstat(src->fd, &st) == 0)
		src->ino = st.st_ino;
	*ret = src;
	return 0;
fail:
	sw_nlsrc_free(src);
	return r;
}

void sw_nlsrc_free(struct sw_nlsrc *src)
{
	if (!src)
		return;
	if (src->nl)
		mnl_socket_close(src->nl);
	free(src);
}

int sw_nlsrc_fd(const struct sw_nlsrc *src)
{
	return src->fd;
}

int sw_nlsrc_rcvbuf(const struct sw_nlsrc *src)
{
	return src->rcvbuf;
}

void sw_nlsrc_rcvbuf_sizes(const struct sw_nlsrc *src, size_t *ret_asked,
			   long *ret_got)
{
	*ret_asked = src->asked;
	*ret_got = src->rcvbuf < 0 ? -1 : src->rcvbuf / 2;
}

int sw_nlsrc_subscribe(struct sw_nlsrc *src, uint32_t ack, uint32_t events)
{
	char buf[256] __attribute__((aligned(4)));
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct cn_msg *cn;
	enum proc_cn_mcast_op op = PROC_CN_MCAST_LISTEN;
	/* struct proc_input of Linux 6.6: the operation and the event bits. */
	uint32_t input[2] = { PROC_CN_MCAST_LISTEN, events };

	nlh->nlmsg_type = NLMSG_DONE;
	nlh->nlmsg_pid = mnl_socket_get_portid(src->nl);
	cn = mnl_nlmsg_put_extra_header(nlh, sizeof(*cn));
	cn->id.idx = CN_IDX_PROC;
	cn->id.val = CN_VAL_PROC;
	cn->seq = 0;
	cn->ack = ack;
	if (events) {
		cn->len = sizeof(input);
		memcpy(mnl_nlmsg_put_extra_header(nlh, sizeof(input)), input,
		       sizeof(input));
	} else {
		/* Kernels before 6.6 ignore any other length without a word. */
		cn->len = sizeof(op);
		memcpy(mnl_nlmsg_put_extra_header(nlh, sizeof(op)), &op, sizeof(op));
	}
	if (mnl_socket_sendto(src->nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	return 0;
}

ssize_t sw_nlsrc_recv(struct sw_nlsrc *src, void *buf, size_t size,
		      uint32_t *ret_sender, int *ret_flags)
{
	struct sockaddr_nl addr;
	struct iovec iov = { .iov_base = buf, .iov_len = size };
	struct msghdr msg = {
		.msg_name = &addr,
		.msg_namelen = sizeof(addr),
		.msg_iov = &iov,
		.msg_iovlen = 1,
	};
	ssize_t n;

	do {
		n = recvmsg(src->fd, &msg, MSG_DONTWAIT);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	/* mnl_socket_recvfrom() hides the sender; a forger is a port != 0. */
	*ret_sender = msg.msg_namelen >= sizeof(addr) ? addr.nl_pid : UINT32_MAX;
	*ret_flags = msg.msg_flags;
	return n;
}

int sw_nlsrc_recv_batch(struct sw_nlsrc *src, struct sw_nlsrc_batch *b)
{
	struct mmsghdr mm[SW_NLSRC_BATCH];
	struct iovec iov[SW_NLSRC_BATCH];
	struct sockaddr_nl addr[SW_NLSRC_BATCH];
	int n;

	for (unsigned i = 0; i < SW_NLSRC_BATCH; i++) {
		iov[i].iov_base = b->buf[i];
		iov[i].iov_len = SW_NLSRC_SLOT;
		memset(&mm[i].msg_hdr, 0, sizeof(mm[i].msg_hdr));
		mm[i].msg_hdr.msg_name = &addr[i];
		mm[i].msg_hdr.msg_namelen = sizeof(addr[i]);
		mm[i].msg_hdr.msg_iov = &iov[i];
		mm[i].msg_hdr.msg_iovlen = 1;
	}
	do {
		n = recvmmsg(src->fd, mm, SW_NLSRC_BATCH, MSG_DONTWAIT, NULL);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	for (int i = 0; i < n; i++) {
		b->len[i] = mm[i].msg_len;
		b->sender[i] = mm[i].msg_hdr.msg_namelen >= sizeof(addr[i])
				       ? addr[i].nl_pid : UINT32_MAX;
		b->flags[i] = mm[i].msg_hdr.msg_flags;
	}
	b->n = (unsigned)n;
	return n;
}

int sw_nlsrc_drops(struct sw_nlsrc *src, uint64_t *ret)
{
	char line[512];
	FILE *f = fopen("/proc/self/net/netlink", "re");
	int r = -ENOENT;

	if (!f)
		return -errno;
	/* sk Eth Pid Groups Rmem Wmem Dump Locks Drops Inode */
	while (fgets(line, sizeof(line), f)) {
		unsigned long long drops, ino;

		if (sscanf(line, "%*s %*d %*u %*x %*d %*d %*d %*d %llu %llu",
			   &drops, &ino) == 2 && ino == (unsigned long long)src->ino) {
			*ret = drops;
			r = 0;
			break;
		}
	}
	fclose(f);
	return r;
}
