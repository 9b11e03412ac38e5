// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The subscriber's bounded queue (evq.h): a byte ring, whole records only. */
#include <errno.h>
#include <string.h>
#include "event/evq.h"

void lag_evq_init(struct lag_evq *q, char *buf, size_t cap)
{
	memset(q, 0, sizeof(*q));
	q->buf = buf;
	q->cap = cap;
}

static void copy_in(struct lag_evq *q, const void *data, size_t n)
{
	size_t tail = (q->head + q->len) % q->cap, first = q->cap - tail;

	if (!n)
		return;
	if (first > n)
		first = n;
	memcpy(q->buf + tail, data, first);
	memcpy(q->buf, (const char *)data + first, n - first);
	q->len += n;
}

int lag_evq_put(struct lag_evq *q, const void *marker, size_t mlen, const void *rec, size_t len)
{
	if (!q->cap || mlen + len > q->cap - q->len) {
		q->lost += len > 0; /* a marker alone is no event lost */
		return -ENOBUFS;
	}
	if (mlen)
		copy_in(q, marker, mlen);
	copy_in(q, rec, len);
	q->lost = 0;
	return 0;
}

const void *lag_evq_peek(const struct lag_evq *q, size_t *len)
{
	size_t first = q->cap - q->head;

	*len = q->len < first ? q->len : first;
	return q->buf + q->head;
}

void lag_evq_consume(struct lag_evq *q, size_t n)
{
	if (n > q->len)
		n = q->len;
	q->head = (q->head + n) % q->cap;
	q->len -= n;
	if (!q->len)
		q->head = 0;
}
