/* SPDX-License-Identifier: GPL-2.0 */
/* TC verdicts: macros of uapi pkt_cls.h, which vmlinux.h does not carry.
 * The one definition for the TC programs.
 */
#ifndef LAGBPF_TC_BPF_H
#define LAGBPF_TC_BPF_H

#define TC_ACT_UNSPEC	(-1) /* no verdict: the next program (tcx) or filter */
#define TC_ACT_SHOT	2
#define TC_ACT_STOLEN	4 /* consumed, not dropped: no drop statistics */
#define TC_ACT_REDIRECT 7

#endif
