/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Glue between the pure LACP machines (lacp*.c) and the controller's I/O:
 * AF_XDP sockets, the 100 ms tick, carrier, and the lag_lacp mirror map.
 */
#ifndef LAGBPF_LACP_IO_H
#define LAGBPF_LACP_IO_H

#include <stdint.h>
#include "lacp.h"

#define LACP_IO_TICK_MS LACP_TICK_MS

struct ctrl;
struct ctrl_member;

int lacp_io_init(struct ctrl *c);
void lacp_io_fini(struct ctrl *c);
/* Register every socket with the controller's epoll, tagged base + slot * 8 + queue. */
int lacp_io_epoll(struct ctrl *c, uint64_t base);
void lacp_io_rx(struct ctrl *c, uint64_t tag);
/* A member joins or leaves a running LAG: its LACP port and sockets. */
int lacp_io_member_add(struct ctrl *c, struct ctrl_member *mb);
void lacp_io_member_del(struct ctrl *c, struct ctrl_member *mb);
void lacp_io_tick(struct ctrl *c);
void lacp_io_carrier(struct ctrl *c, struct ctrl_member *mb);
int lacp_io_distributing(const struct ctrl *c, const struct ctrl_member *mb);
int lacp_io_collecting(const struct ctrl *c, const struct ctrl_member *mb);
/* Copy every port's state into the pinned lag_lacp map. */
void lacp_io_mirror(struct ctrl *c);
/* `lagbpf set --rate`: 1 fast, 0 slow. */
void lacp_io_set_rate(struct ctrl *c, int fast);
/* The LAG's operational key: --key, else derived from the member speed. */
uint16_t lacp_io_key(const struct lag_config *cfg, unsigned int speed);

#endif
