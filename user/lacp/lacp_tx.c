// SPDX-License-Identifier: GPL-2.0
/*
 * Transmit machine, IEEE 802.1AX-2014 6.4.16, and the Marker Responder, 6.5.4.2. Builds the
 * next frame a port must send (into the caller's buffer); the controller does the I/O.
 * Limits are data: the ticks of the last sends, oldest first.
 */
#include <string.h>
#include "lacp/lacp.h"

/* Collector_Max_Delay we advertise (tens of microseconds): we deliver at once */

/* ring of the last `lim` event ticks, oldest first: is one more allowed in a 1 s window? */
static int window_allows(const __u64 *log, unsigned n, unsigned lim, __u64 now)
{
	return n < lim || now - log[0] >= LACP_FAST_PERIODIC_TICKS;
}

static void window_push(__u64 *log, unsigned *n, unsigned lim, __u64 now)
{
	if (*n < lim) {
		log[(*n)++] = now;
		return;
	}
	memmove(log, log + 1, (lim - 1) * sizeof(*log));
	log[lim - 1] = now;
}

/* 6.4.16: "no more than three LACPDUs may be transmitted in any Fast_Periodic_Time interval" */
int lacp_tx_allowed(const struct lacp_sys *s, const struct lacp_port *p)
{
	return window_allows(p->tx_log, p->tx_log_n, LACP_TX_LIMIT, s->now);
}

/*
 * 6.4.16: when NTT is TRUE (and LACP_Enabled, port_enabled), transmit a LACPDU carrying the
 * current Actor_Oper and Partner_Oper values, then NTT = FALSE (undone by lacp_port_tx_failed()
 * when the send fails). If the limit is reached, the transmission is delayed (NTT stays TRUE)
 * until it is allowed. "When the Periodic machine is in the NO_PERIODIC state, the Transmit
 * machine shall not transmit an LACPDU and shall set NTT to FALSE" (lacp.c clears NTT after
 * each run; checked again here).
 */
size_t lacp_tx_lacpdu(struct lacp_sys *s, struct lacp_port *p, void *buf, size_t cap)
{
	size_t n;

	if (!p->ntt)
		return 0;
	if (!p->port_enabled || !p->lacp_enabled || p->ptx_state == LACP_PTX_NO_PERIODIC) {
		p->ntt = 0;
		return 0;
	}
	if (!lacp_tx_allowed(s, p)) {
		if (!p->tx_deferred) {
			p->tx_deferred = 1;
			p->cnt.tx_limited++;
		}
		return 0;
	}
	n = lacpdu_encode_lacp(buf, cap, p->mac, &p->actor, &p->partner, LACP_COLLECTOR_MAX_DELAY);
	if (!n)
		return 0;
	/* committed now; lacp_port_tx_failed() undoes it if the send fails */
	memcpy(p->tx_undo_log, p->tx_log, sizeof(p->tx_undo_log));
	p->tx_undo_log_n = p->tx_log_n;
	p->tx_last = LACPDU_KIND_LACPDU;
	window_push(p->tx_log, &p->tx_log_n, LACP_TX_LIMIT, s->now);
	p->ntt = 0;
	p->tx_deferred = 0;
	p->cnt.lacpdu_tx++;
	return n;
}

/*
 * Marker Responder (6.5.4.2): a Marker PDU received is answered on the same port by a Marker
 * Response PDU with the requester's Port, System and Transaction ID copied unchanged.
 * XXX: 802.1AX does not rate-limit responses; we answer at most LACP_MARKER_LIMIT per second
 * and queue LACP_MARKER_QUEUE, counting the rest as marker_dropped, so a flood of Marker
 * PDUs cannot make the controller a reflector. Responses do not count against the LACPDU
 * limit of 6.4.16.
 */
void lacp_marker_rx(struct lacp_sys *s, struct lacp_port *p, const struct lacpdu_msg *m)
{
	unsigned tail;

	if (!window_allows(p->marker_log, p->marker_log_n, LACP_MARKER_LIMIT, s->now) ||
	    p->marker_q_len == LACP_MARKER_QUEUE) {
		p->cnt.marker_dropped++;
		return;
	}
	window_push(p->marker_log, &p->marker_log_n, LACP_MARKER_LIMIT, s->now);
	tail = (p->marker_q_head + p->marker_q_len) % LACP_MARKER_QUEUE;
	p->marker_q[tail] = m->marker;
	p->marker_q_len++;
}

size_t lacp_tx_marker(struct lacp_sys *s, struct lacp_port *p, void *buf, size_t cap)
{
	size_t n;

	(void)s;
	if (!p->marker_q_len)
		return 0;
	n = lacpdu_encode_marker(buf, cap, p->mac, LACPDU_KIND_MARKER_RESPONSE,
				 &p->marker_q[p->marker_q_head]);
	if (!n)
		return 0;
	p->marker_q_head = (p->marker_q_head + 1) % LACP_MARKER_QUEUE;
	p->marker_q_len--;
	p->cnt.marker_resp_tx++;
	p->tx_last = LACPDU_KIND_MARKER_RESPONSE;
	return n;
}

size_t lacp_port_goodbye(struct lacp_sys *s, int idx, void *buf, size_t cap)
{
	struct lacp_port *p;
	struct lacp_info actor;
	size_t n;

	if (idx < 0 || idx >= LACP_MAX_PORTS || !s->used[idx])
		return 0;
	p = &s->port[idx];
	if (!p->port_enabled || !p->lacp_enabled)
		return 0;
	/* XXX: not a machine's transition but the last word of a port that is
	 * leaving (del, detach, stop): out of sync, neither collecting nor
	 * distributing, so the partner's Mux detaches now instead of at its
	 * timeout (up to 90 s) when the link stays up. Not held to the
	 * 3-per-second limit: it is the last frame of this port.
	 */
	actor = p->actor;
	actor.state &= (__u8) ~(LACP_STATE_SYNC | LACP_STATE_COLLECTING | LACP_STATE_DISTRIBUTING);
	n = lacpdu_encode_lacp(buf, cap, p->mac, &actor, &p->partner, LACP_COLLECTOR_MAX_DELAY);
	if (n)
		p->cnt.lacpdu_tx++;
	return n;
}
