/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* rtnetlink over libmnl: the links lagbpf reads, creates and changes, and
 * the link-event monitor. Every request is acked and its error returned.
 */
#ifndef LAGBPF_NL_H
#define LAGBPF_NL_H

#include <stdint.h>
#include <stddef.h>
#ifndef IF_NAMESIZE
#define IF_NAMESIZE 16
#endif

struct mnl_socket;

struct nl {
	struct mnl_socket *sk;
	unsigned int portid;
	unsigned int seq;
};

struct nl_link {
	int ifindex;
	char name[IF_NAMESIZE];
	char kind[16];	    /* IFLA_INFO_KIND: "veth", ... or "" */
	char alias[128];    /* IFLA_IFALIAS, "" if none */
	unsigned int flags; /* IFF_* */
	unsigned int mtu;
	int carrier; /* IFLA_CARRIER: read directly, not via linkwatch */
	/* Counts, whoever asked (IFF_PROMISC/IFF_ALLMULTI in flags show only
	 * what a user set: a bridge's or macvlan's promiscuity is here).
	 */
	unsigned int promiscuity, allmulti;
	int master; /* ifindex of a master device, 0 if none */
	int link;   /* IFLA_LINK: a veth's peer ifindex (in its netns) */
	uint8_t mac[6];
};

int nl_open(struct nl *nl, unsigned int groups);
void nl_close(struct nl *nl);
int nl_fd(const struct nl *nl);

/* 0 and *out filled, or -ENODEV. */
int nl_link_get(struct nl *nl, const char *name, int ifindex, struct nl_link *out);
int nl_link_set_up(struct nl *nl, int ifindex, int up);
int nl_link_set_mac(struct nl *nl, int ifindex, const uint8_t mac[6]);
/* ifalias (as `ip link set DEV alias`); "" clears it. */
int nl_link_set_alias(struct nl *nl, int ifindex, const char *alias);
int nl_link_set_mtu(struct nl *nl, int ifindex, unsigned int mtu);
int nl_link_del(struct nl *nl, int ifindex);
/* A veth pair NAME <-> PEER, both in this namespace (mac and mtu: 0 for the defaults). */
int nl_veth_create(struct nl *nl, const char *name, const char *peer, const uint8_t *mac,
		   unsigned int mtu);
/* Count IPv4 + global/site IPv6 addresses on ifindex; the first one as text in buf. */
int nl_addr_first(struct nl *nl, int ifindex, char *buf, size_t len);

/* Link events from a socket opened with RTMGRP_LINK: cb per RTM_NEWLINK/DELLINK. */
typedef void (*nl_link_cb)(void *ctx, const struct nl_link *l, int deleted);
/* 0, -ENOBUFS when the socket overran (events were lost), or -errno. */
int nl_monitor_read(struct nl *nl, nl_link_cb cb, void *ctx);

#endif
