/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Attaching a LAG's programs: bpf_links pinned in its folder (links.c). */
#ifndef LAGBPF_LINKS_H
#define LAGBPF_LINKS_H

#include "sys/maps.h"

/* Attachment through bpf_links pinned in the LAG's folder, so no other tool
 * replaces the programs and detach removes exactly ours. XDP: generic (skb)
 * or native (driver) mode.
 */
int links_attach_xdp(struct lag_maps *m, int ifindex, int generic);
int links_detach_xdp(struct lag_maps *m, int ifindex);
/* TC: egress lag_tx on the LAG device, ingress lag_rx on a member; a tcx
 * link, or a clsact filter where the kernel has no tcx (*own_qdisc: we made
 * the clsact qdisc, and remove it at detach).
 */
int links_attach_tc(struct lag_maps *m, int ifindex, int egress, int *own_qdisc);
int links_detach_tc(struct lag_maps *m, int ifindex, int egress, int own_qdisc);
/* How XDP is attached on ifindex: "skb", "native", "offload", "none", ... */
const char *links_xdp_mode(int ifindex);
/* lag_tx on the ingress of ifindex (the LAG device's peer: --tx-path device). */
int links_attach_tx_ingress(struct lag_maps *m, int ifindex, int *own_qdisc);
/* "tcx" or "clsact": how program kind "tx" or "rx" is attached on ifindex. */
int links_tc_mode(const struct lag_maps *m, int ifindex, const char *kind, const char **mode);
/* Name of the XDP program on ifindex ("" if none); for messages. */
int links_xdp_prog_name(int ifindex, char *name, size_t len, __u32 *id);

#endif
