// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The publisher: the only writer of the selection tables, the members'
 * collecting/distributing flags and the LAG device's carrier. It owns the
 * atomic table switch: build the new table in the slot that is not live,
 * then flip lag_active; a carrier loss flips to a precomputed table first.
 */
#include <errno.h>
#include <string.h>
#include "daemon/mode.h"
#include "daemon/state.h"
#include "sys/clock.h"
#include "event/event.h"
#include "lacp/bucket.h"
#include "sys/log.h"

static unsigned int need_links(const struct ctrl *c)
{
	return c->cfg.min_links ? c->cfg.min_links : 1;
}

/* Write a table to a slot that is not live, with each bucket's member slot
 * (the data path's counter key).
 */
static int table_put(struct ctrl *c, __u32 slot, const __u32 *ifx, unsigned int n)
{
	struct lag_table t = { .n_members = n };

	memcpy(t.ifindex, ifx, sizeof(t.ifindex));
	for (int b = 0; b < LAG_BUCKETS; b++) {
		const struct ctrl_member *mb =
			ifx[b] ? ctrl_member_by_ifindex(c, (int)ifx[b]) : NULL;

		t.slot[b] = mb ? (__u8)mb->slot : 0;
	}
	return maps_table_write(&c->maps, slot, &t);
}

/* For each distributing member, the live table without it: a carrier loss
 * then costs one 4-byte write. If losing it would drop below min-links,
 * its loss table is empty.
 */
static void precompute_losses(struct ctrl *c, const __u32 *set, unsigned int n)
{
	__u32 rest[LAG_MAX_MEMBERS], tbl[LAG_BUCKETS];

	for (unsigned int i = 0; i < n; i++) {
		struct ctrl_member *mb = ctrl_member_by_ifindex(c, (int)set[i]);
		unsigned int k = 0;

		for (unsigned int j = 0; j < n; j++)
			if (j != i)
				rest[k++] = set[j];
		if (k < need_links(c))
			k = 0;
		memcpy(tbl, c->table, sizeof(tbl));
		lag_buckets_rebalance(tbl, rest, k);
		if (table_put(c, LAG_TABLE_LOSS(mb->slot), tbl, k))
			lag_log(LAG_LOG_WARN, "%s: cannot write loss table of %s\n", c->cfg.name,
				mb->name);
	}
	c->loss_ready = 1;
}

static void set_lag_carrier(struct ctrl *c, int on)
{
	int err;

	if (c->lag_carrier_set == on)
		return;
	/* The LAG device is a veth: its carrier follows its peer's admin state. */
	err = nl_link_set_up(&c->nl, c->peer_ifindex, on);
	if (err) {
		lag_log(LAG_LOG_ERR, "%s: cannot set carrier %s: %s\n", c->cfg.name,
			on ? "on" : "off", strerror(-err));
		return;
	}
	c->lag_carrier_set = on;
	lag_log(LAG_LOG_INFO, "%s: carrier %s\n", c->cfg.name, on ? "on" : "off");
}

void ctrl_publish_flags(struct ctrl *c, struct ctrl_member *mb, int collecting, int distributing)
{
	struct lag_member rec;

	if (mb->collecting == collecting && mb->distributing == distributing)
		return;
	if (maps_member_get(&c->maps, (__u32)mb->ifindex, &rec)) {
		lag_log(LAG_LOG_ERR, "%s: member %s missing from lag_members\n", c->cfg.name,
			mb->name);
		return;
	}
	rec.flags &= ~(LAG_M_COLLECTING | LAG_M_DISTRIBUTING);
	rec.flags |= (collecting ? LAG_M_COLLECTING : 0) | (distributing ? LAG_M_DISTRIBUTING : 0);
	if (maps_member_put(&c->maps, &rec)) {
		lag_log(LAG_LOG_ERR, "%s: cannot update member %s\n", c->cfg.name, mb->name);
		return;
	}
	lag_log(LAG_LOG_INFO, "%s %s: %s%s\n", c->cfg.name, mb->name,
		collecting ? "collecting" : "not collecting", distributing ? ", distributing" : "");
	mb->collecting = collecting;
	mb->distributing = distributing;
}

/* Buckets whose member changed from table a (na members) to table b (nb);
 * a table without members has none in any bucket.
 */
static unsigned int buckets_moved(const __u32 *a, unsigned int na, const __u32 *b, unsigned int nb)
{
	unsigned int moved = 0;

	for (unsigned int i = 0; i < LAG_BUCKETS; i++)
		moved += (na ? a[i] : 0) != (nb ? b[i] : 0);
	return moved;
}

/* Monitors hear of every switch: which slot went live and what it moved. */
static void table_event(struct ctrl *c, const char *cause, __u32 from, __u32 to, unsigned int n,
			unsigned int moved)
{
	struct lag_event e;

	if (!ctrl_events_monitored(c))
		return;
	ctrl_event_start(c, &e, LAG_EV_TABLE, NULL);
	lag_event_int(&e, "from", from);
	lag_event_int(&e, "to", to);
	lag_event_str(&e, "cause", cause);
	lag_event_int(&e, "members", n);
	lag_event_int(&e, "bucketsMoved", moved);
	lag_event_int(&e, "buckets", LAG_BUCKETS);
	ctrl_event_emit(c, &e);
}

/* c->table (n members) into the slot that is not live, then flip to it:
 * egress sees the old table or the new one, never a mix. from and moved are
 * for monitors. 0, or -errno (said in the log).
 */
static int go_live(struct ctrl *c, unsigned int n, const char *cause, __u32 from,
		   unsigned int moved)
{
	__u32 slot = c->live_slot == LAG_TABLE_LIVE0 ? LAG_TABLE_LIVE1 : LAG_TABLE_LIVE0;

	if (table_put(c, slot, c->table, n) || maps_active_set(&c->maps, slot)) {
		int err = -errno;

		lag_log(LAG_LOG_ERR, "%s: cannot switch tables: %s\n", c->cfg.name, strerror(-err));
		return err;
	}
	table_event(c, cause, from, slot, n, moved);
	c->live_slot = slot;
	c->table_switches++;
	c->last_switch_ns = clock_now_ns();
	lag_log(LAG_LOG_INFO, "%s: table switched to slot %u, %u members\n", c->cfg.name, slot, n);
	return 0;
}

void ctrl_publish_invalidate(struct ctrl *c)
{
	c->loss_ready = 0;
}

void ctrl_publish(struct ctrl *c)
{
	__u32 set[LAG_MAX_MEMBERS], old[LAG_MAX_MEMBERS];
	unsigned int n = 0, n_old = 0;
	int available, changed;

	for (int i = 0; i < c->n; i++) {
		if (c->mode->distributing(c, &c->m[i]))
			set[n++] = (__u32)c->m[i].ifindex;
		if (c->m[i].distributing)
			old[n_old++] = (__u32)c->m[i].ifindex;
	}
	available = n >= need_links(c);
	if (!available)
		n = 0;
	changed = n != n_old || memcmp(set, old, n * sizeof(*set));
	if (changed || !c->table_switches) {
		__u32 before[LAG_BUCKETS], live = c->live_slot;
		unsigned int n_before = n_old;

		/* What moved is against what egress used: a loss table may be live. */
		memcpy(before, c->table, sizeof(before));
		if (ctrl_events_monitored(c) && maps_active_get(&c->maps, &live) == 0 &&
		    live >= LAG_TABLE_LOSS(0)) {
			struct lag_table t;

			if (maps_table_read(&c->maps, live, &t) == 0) {
				memcpy(before, t.ifindex, sizeof(before));
				n_before = t.n_members;
			} else {
				live = c->live_slot;
			}
		}
		lag_buckets_rebalance(c->table, set, n);
		/* A failed flip is said in the log; egress keeps the table it had. */
		(void)go_live(c, n, "rebuild", live, buckets_moved(before, n_before, c->table, n));
		c->loss_ready = 0;
	}
	/* Flags after the table: a member leaves the table before it stops
	 * collecting, and collects before it is in the table.
	 */
	for (int i = 0; i < c->n; i++) {
		struct ctrl_member *mb = &c->m[i];
		int dist = 0;

		for (unsigned int k = 0; k < n; k++)
			dist |= set[k] == (__u32)mb->ifindex;
		ctrl_publish_flags(c, mb, c->mode->collecting(c, mb), dist);
	}
	if (!c->loss_ready)
		precompute_losses(c, set, n);
	if (available != c->available || !c->table_switches)
		lag_log(LAG_LOG_INFO, "%s: LAG %s (%u of min %u members)\n", c->cfg.name,
			available ? "available" : "down", n, need_links(c));
	if (available && !c->first_available_ns)
		c->first_available_ns = clock_now_ns();
	c->available = available;
	set_lag_carrier(c, available);
	if (c->mode->published)
		c->mode->published(c);
	ctrl_events_sync(c);
}

int ctrl_publish_moved(struct ctrl *c, const __u32 *tbl, const __u32 *set, unsigned int n,
		       unsigned int moved)
{
	__u32 live[LAG_BUCKETS], active;
	int err;

	/* A loss table is live: a carrier loss the next publish settles first. */
	if (!c->available || maps_active_get(&c->maps, &active) || active != c->live_slot)
		return -EAGAIN;
	memcpy(live, c->table, sizeof(live));
	memcpy(c->table, tbl, sizeof(c->table));
	err = go_live(c, n, "rebalance", c->live_slot, moved);
	if (err) {
		memcpy(c->table, live, sizeof(live));
		return err;
	}
	precompute_losses(c, set, n);
	return 0;
}

void ctrl_publish_loss(struct ctrl *c, struct ctrl_member *mb)
{
	__u32 active;

	if (mb->distributing && c->loss_ready && maps_active_get(&c->maps, &active) == 0 &&
	    active == c->live_slot) {
		if (maps_active_set(&c->maps, LAG_TABLE_LOSS(mb->slot)) == 0) {
			struct lag_table t;
			unsigned int n_live = 0;

			/* Told after the flip, never before it. */
			for (int i = 0; i < c->n; i++)
				n_live += c->m[i].distributing;
			if (ctrl_events_monitored(c) &&
			    maps_table_read(&c->maps, LAG_TABLE_LOSS(mb->slot), &t) == 0)
				table_event(
					c, "carrier-loss", active, LAG_TABLE_LOSS(mb->slot),
					t.n_members,
					buckets_moved(c->table, n_live, t.ifindex, t.n_members));
			c->table_switches++;
			c->last_switch_ns = clock_now_ns();
			lag_log(LAG_LOG_INFO, "%s %s: carrier lost: loss table %u live\n",
				c->cfg.name, mb->name, LAG_TABLE_LOSS(mb->slot));
		}
	}
}
