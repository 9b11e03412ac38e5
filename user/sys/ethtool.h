/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* ethtool ioctls on an interface of the current network namespace. */
#ifndef LAGBPF_SYS_ETHTOOL_H
#define LAGBPF_SYS_ETHTOOL_H

/* Link speed in Mb/s, 0 if unknown. */
unsigned int ethtool_speed(const char *ifname);
/* Number of RX queues in use (at least 1; 1 when the driver has no channel
 * counts), or -errno.
 */
int ethtool_rx_queues(const char *ifname);
/* Carrier as the driver sees it now (GLINK): no linkwatch delay. 1, 0 or -errno. */
int ethtool_carrier(const char *ifname);
/* The current name of ifindex: 0, or -ENODEV when there is no such device. */
#ifndef IF_NAMESIZE
#define IF_NAMESIZE 16
#endif
int ethtool_ifname(int ifindex, char name[IF_NAMESIZE]);

#endif
