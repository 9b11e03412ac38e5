/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* A bounded byte queue for one subscriber of the event stream: records go in
 * whole or not at all, so a reader that falls behind loses whole records,
 * which are counted; the next record that fits goes in behind a marker the
 * caller makes from that count ("lost N events"). Pure: the caller owns the
 * buffer and does the I/O.
 */
#ifndef LAGBPF_EVENT_EVQ_H
#define LAGBPF_EVENT_EVQ_H

#include <stddef.h>
#include <stdint.h>

struct lag_evq {
	char *buf;
	size_t cap, head, len; /* ring: len bytes from head */
	uint64_t lost;	       /* records refused since the last one that went in */
};

void lag_evq_init(struct lag_evq *q, char *buf, size_t cap);
/* marker (when q->lost, else NULL/0) then rec, both or neither: 0, or
 * -ENOBUFS (q->lost counts it). On success q->lost is 0 again. The marker
 * alone (rec NULL/0) says the loss as soon as there is room.
 */
int lag_evq_put(struct lag_evq *q, const void *marker, size_t mlen, const void *rec, size_t len);
/* The oldest bytes, contiguous (*len of them, 0 when empty). */
const void *lag_evq_peek(const struct lag_evq *q, size_t *len);
/* n bytes (at most what peek gave) were written out. */
void lag_evq_consume(struct lag_evq *q, size_t n);

#endif
