/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The pcapng blocks of `lagbpf capture` (IETF draft-ietf-opsawg-pcapng): a
 * Section Header, one Interface Description per member (its name, Ethernet,
 * nanosecond timestamps) and one Enhanced Packet per PDU with its direction
 * (epb_flags) and, after a slow reader lost some, epb_dropcount. Host byte
 * order, as the format allows (readers follow the byte-order magic). Pure.
 */
#ifndef LAGBPF_EVENT_PCAPNG_H
#define LAGBPF_EVENT_PCAPNG_H

#include <stddef.h>
#include <stdint.h>

enum lag_pcapng_dir { LAG_PCAPNG_IN = 1, LAG_PCAPNG_OUT = 2 }; /* epb_flags bits 0-1 */

/* Each writes one block into buf: its length, or -1 if cap is too small. */
int lag_pcapng_shb(void *buf, size_t cap, const char *appl);
int lag_pcapng_idb(void *buf, size_t cap, const char *name, const char *descr);
int lag_pcapng_epb(void *buf, size_t cap, uint32_t if_id, uint64_t time_ns, enum lag_pcapng_dir dir,
		   uint64_t dropped, const void *frame, size_t len);

#endif
