// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* rtnetlink requests and link events over libmnl. I/O only: no LAG logic. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include "sys/nl.h"

#define NL_RECV_SIZE 32768

int nl_open(struct nl *nl, unsigned int groups)
{
	nl->sk = mnl_socket_open(NETLINK_ROUTE);
	if (!nl->sk)
		return -errno;
	if (mnl_socket_bind(nl->sk, groups, MNL_SOCKET_AUTOPID) < 0) {
		int err = -errno;

		mnl_socket_close(nl->sk);
		nl->sk = NULL;
		return err;
	}
	nl->portid = mnl_socket_get_portid(nl->sk);
	nl->seq = (unsigned int)time(NULL);
	return 0;
}

void nl_close(struct nl *nl)
{
	if (nl->sk)
		mnl_socket_close(nl->sk);
	nl->sk = NULL;
}

int nl_fd(const struct nl *nl)
{
	return mnl_socket_get_fd(nl->sk);
}

/* Send a request and run cb over the answer until the ack or NLMSG_DONE. */
static int nl_talk(struct nl *nl, struct nlmsghdr *req, mnl_cb_t cb, void *data)
{
	char buf[NL_RECV_SIZE];
	unsigned int seq = ++nl->seq;
	int ret;

	req->nlmsg_seq = seq;
	/* NLM_F_EXCL shares a bit with NLM_F_DUMP: test the whole of DUMP */
	if ((req->nlmsg_flags & NLM_F_DUMP) != NLM_F_DUMP)
		req->nlmsg_flags |= NLM_F_ACK;
	if (mnl_socket_sendto(nl->sk, req, req->nlmsg_len) < 0)
		return -errno;
	for (;;) {
		ret = mnl_socket_recvfrom(nl->sk, buf, sizeof(buf));
		if (ret < 0)
			return -errno;
		ret = mnl_cb_run(buf, ret, seq, nl->portid, cb, data);
		if (ret <= MNL_CB_STOP)
			break;
	}
	return ret < 0 ? -errno : 0;
}

static int parse_linkinfo(const struct nlattr *nest, struct nl_link *l)
{
	const struct nlattr *a;

	mnl_attr_for_each_nested(a, nest)
	{
		if (mnl_attr_get_type(a) == IFLA_INFO_KIND)
			snprintf(l->kind, sizeof(l->kind), "%s", mnl_attr_get_str(a));
	}
	return 0;
}

static int parse_link(const struct nlmsghdr *nlh, struct nl_link *l)
{
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *a;

	memset(l, 0, sizeof(*l));
	l->ifindex = ifi->ifi_index;
	l->flags = ifi->ifi_flags;
	mnl_attr_for_each(a, nlh, sizeof(*ifi))
	{
		switch (mnl_attr_get_type(a)) {
		case IFLA_IFNAME:
			snprintf(l->name, sizeof(l->name), "%s", mnl_attr_get_str(a));
			break;
		case IFLA_MTU:
			l->mtu = mnl_attr_get_u32(a);
			break;
		case IFLA_CARRIER:
			l->carrier = mnl_attr_get_u8(a);
			break;
		case IFLA_PROMISCUITY:
			l->promiscuity = mnl_attr_get_u32(a);
			break;
		case IFLA_ALLMULTI:
			l->allmulti = mnl_attr_get_u32(a);
			break;
		case IFLA_MASTER:
			l->master = (int)mnl_attr_get_u32(a);
			break;
		case IFLA_LINK:
			l->link = (int)mnl_attr_get_u32(a);
			break;
		case IFLA_ADDRESS:
			if (mnl_attr_get_payload_len(a) == 6)
				memcpy(l->mac, mnl_attr_get_payload(a), 6);
			break;
		case IFLA_LINKINFO:
			parse_linkinfo(a, l);
			break;
		case IFLA_IFALIAS:
			snprintf(l->alias, sizeof(l->alias), "%s", mnl_attr_get_str(a));
			break;
		}
	}
	return 0;
}

static int link_cb(const struct nlmsghdr *nlh, void *data)
{
	if (nlh->nlmsg_type == RTM_NEWLINK)
		parse_link(nlh, data);
	return MNL_CB_OK;
}

static struct nlmsghdr *link_req(char *buf, int type, int flags, int ifindex)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifi;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	return nlh;
}

int nl_link_get(struct nl *nl, const char *name, int ifindex, struct nl_link *out)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = link_req(buf, RTM_GETLINK, 0, ifindex);
	int ret;

	if (name) {
		if (strlen(name) >= IF_NAMESIZE)
			return -ENAMETOOLONG;
		mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	}
	memset(out, 0, sizeof(*out));
	ret = nl_talk(nl, nlh, link_cb, out);
	if (ret == -ENODEV || (ret == 0 && out->ifindex == 0))
		return -ENODEV;
	return ret;
}

int nl_link_set_up(struct nl *nl, int ifindex, int up)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = link_req(buf, RTM_NEWLINK, 0, ifindex);
	struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);

	ifi->ifi_change = IFF_UP;
	ifi->ifi_flags = up ? IFF_UP : 0;
	return nl_talk(nl, nlh, NULL, NULL);
}

int nl_link_set_mac(struct nl *nl, int ifindex, const uint8_t mac[6])
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = link_req(buf, RTM_NEWLINK, 0, ifindex);

	mnl_attr_put(nlh, IFLA_ADDRESS, 6, mac);
	return nl_talk(nl, nlh, NULL, NULL);
}

int nl_link_set_alias(struct nl *nl, int ifindex, const char *alias)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = link_req(buf, RTM_NEWLINK, 0, ifindex);

	mnl_attr_put(nlh, IFLA_IFALIAS, strlen(alias), alias);
	return nl_talk(nl, nlh, NULL, NULL);
}

int nl_link_set_mtu(struct nl *nl, int ifindex, unsigned int mtu)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = link_req(buf, RTM_NEWLINK, 0, ifindex);

	mnl_attr_put_u32(nlh, IFLA_MTU, mtu);
	return nl_talk(nl, nlh, NULL, NULL);
}

int nl_link_del(struct nl *nl, int ifindex)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];

	return nl_talk(nl, link_req(buf, RTM_DELLINK, 0, ifindex), NULL, NULL);
}

int nl_veth_create(struct nl *nl, const char *name, const char *peer, const uint8_t *mac,
		   unsigned int mtu)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = link_req(buf, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, 0);
	struct nlattr *info, *data, *peer_nest;
	struct ifinfomsg *pifi;

	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	if (mac)
		mnl_attr_put(nlh, IFLA_ADDRESS, 6, mac);
	if (mtu)
		mnl_attr_put_u32(nlh, IFLA_MTU, mtu);
	info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	peer_nest = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
	pifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*pifi));
	memset(pifi, 0, sizeof(*pifi));
	mnl_attr_put_strz(nlh, IFLA_IFNAME, peer);
	if (mtu)
		mnl_attr_put_u32(nlh, IFLA_MTU, mtu);
	mnl_attr_nest_end(nlh, peer_nest);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, info);
	return nl_talk(nl, nlh, NULL, NULL);
}

struct addr_walk {
	int ifindex;
	int count;
	char *buf;
	size_t len;
};

static int addr_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	struct addr_walk *w = data;
	const struct nlattr *a;

	if (nlh->nlmsg_type != RTM_NEWADDR || (int)ifa->ifa_index != w->ifindex)
		return MNL_CB_OK;
	/* IPv6 link-local addresses come and go with the link: not counted */
	if (ifa->ifa_family == AF_INET6 && ifa->ifa_scope == RT_SCOPE_LINK)
		return MNL_CB_OK;
	mnl_attr_for_each(a, nlh, sizeof(*ifa))
	{
		if (mnl_attr_get_type(a) != IFA_ADDRESS)
			continue;
		if (w->count++ == 0 && w->buf) {
			char ip[INET6_ADDRSTRLEN] = "?";

			inet_ntop(ifa->ifa_family, mnl_attr_get_payload(a), ip, sizeof(ip));
			snprintf(w->buf, w->len, "%s/%u", ip, ifa->ifa_prefixlen);
		}
		break;
	}
	return MNL_CB_OK;
}

int nl_addr_first(struct nl *nl, int ifindex, char *buf, size_t len)
{
	char req[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(req);
	struct addr_walk w = { .ifindex = ifindex, .buf = buf, .len = len };
	struct ifaddrmsg *ifa;
	int ret;

	nlh->nlmsg_type = RTM_GETADDR;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = AF_UNSPEC;
	ret = nl_talk(nl, nlh, addr_cb, &w);
	return ret < 0 ? ret : w.count;
}

struct monitor_ctx {
	nl_link_cb cb;
	void *ctx;
};

static int monitor_cb(const struct nlmsghdr *nlh, void *data)
{
	struct monitor_ctx *m = data;
	struct nl_link l;

	if (nlh->nlmsg_type != RTM_NEWLINK && nlh->nlmsg_type != RTM_DELLINK)
		return MNL_CB_OK;
	parse_link(nlh, &l);
	m->cb(m->ctx, &l, nlh->nlmsg_type == RTM_DELLINK);
	return MNL_CB_OK;
}

int nl_monitor_read(struct nl *nl, nl_link_cb cb, void *ctx)
{
	char buf[NL_RECV_SIZE];
	struct monitor_ctx m = { cb, ctx };
	int ret;

	ret = mnl_socket_recvfrom(nl->sk, buf, sizeof(buf));
	if (ret < 0)
		return -errno; /* -ENOBUFS: events were lost, the caller reads again */
	ret = mnl_cb_run(buf, ret, 0, 0, monitor_cb, &m);
	return ret < 0 ? -errno : 0;
}
