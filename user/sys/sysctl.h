/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Per-interface sysctls of the current network namespace. */
#ifndef LAGBPF_SYS_SYSCTL_H
#define LAGBPF_SYS_SYSCTL_H

/* net.ipv6.conf.IF.disable_ipv6: 1, 0, or -errno (1 where IPv6 is absent). */
int sysctl_ipv6_disabled(const char *ifname);
int sysctl_ipv6_set_disabled(const char *ifname, int disabled);

#endif
