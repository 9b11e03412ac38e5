/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* AF_XDP sockets (libxdp) for slow-protocol frames: one per member RX queue,
 * copy mode, need_wakeup, bound to our own XSKMAP (libxdp's default program
 * would steal every frame of the queue, so it is never loaded).
 */
#ifndef LAGBPF_XSK_H
#define LAGBPF_XSK_H

#include <stddef.h>

struct xsk_port;

typedef void (*xsk_rx_cb)(void *ctx, const void *frame, size_t len);

/* wait_busy: retry a queue still held (-EBUSY) for up to a second, as a
 * controller taking over from one that just stopped must; 0 fails at once.
 */
int xsk_port_open(struct xsk_port **out, const char *ifname, unsigned int queue, int wait_busy);
void xsk_port_close(struct xsk_port *x);
int xsk_port_fd(const struct xsk_port *x);
/* Deliver every frame waiting on the RX ring; returns how many. */
int xsk_port_rx(struct xsk_port *x, xsk_rx_cb cb, void *ctx);
/* Send one frame; -EAGAIN when no TX frame is free. */
int xsk_port_tx(struct xsk_port *x, const void *frame, size_t len);

#endif
