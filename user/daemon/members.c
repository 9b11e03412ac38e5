// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The controller's members: found from the pins at start, added and removed
 * at run time, and their carrier, from link events and a poll. Linkwatch
 * reports a carrier change at once only when it judges it urgent (a device
 * whose iflink is not itself: a veth with a distinct peer index, a VLAN);
 * otherwise (a physical NIC, a veth whose peer has its index) it may hold it
 * back a second. Those members are read every --carrier-poll ms (10; 0: never);
 * every member once a second,
 * which also catches a rename; lost events (a full socket) make the loop read
 * them all at once.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <net/if.h>
#include "daemon/mode.h"
#include "daemon/state.h"
#include "event/event.h"
#include "sys/ethtool.h"
#include "sys/links.h"
#include "sys/log.h"

/* Monitors: a member joined or left the LAG (add, del). */
static void membership_event(struct ctrl *c, const struct ctrl_member *mb, const char *what)
{
	struct lag_event e;

	if (!ctrl_events_monitored(c))
		return;
	ctrl_event_start(c, &e, LAG_EV_MEMBERSHIP, mb);
	lag_event_str(&e, "change", what);
	lag_event_int(&e, "ifindex", mb->ifindex);
	lag_event_int(&e, "members", c->n);
	ctrl_event_emit(c, &e);
}

/* IFLA_LINK is sent only when the device's iflink is not its own index. */
static int events_may_lag(const struct nl_link *l)
{
	return l->link == 0 || l->link == l->ifindex;
}

static void member_fill(struct ctrl_member *mb, const struct nl_link *l,
			const struct lag_member *rec)
{
	memset(mb, 0, sizeof(*mb));
	snprintf(mb->name, sizeof(mb->name), "%s", l->name);
	mb->ifindex = l->ifindex;
	mb->slot = rec->slot;
	memcpy(mb->own_mac, rec->saved_mac, 6);
	mb->speed = ethtool_speed(l->name);
	mb->polled = events_may_lag(l);
}

int ctrl_members_load(struct ctrl *c)
{
	struct lag_member mbs[LAG_MAX_MEMBERS];
	struct nl_link l;
	int n = maps_members_list(&c->maps, mbs, LAG_MAX_MEMBERS);

	for (int i = 0; i < c->cfg.n_members; i++) {
		if (nl_link_get(&c->nl, c->cfg.members[i], 0, &l))
			continue;
		for (int k = 0; k < n; k++)
			if (mbs[k].ifindex == (__u32)l.ifindex)
				member_fill(&c->m[c->n++], &l, &mbs[k]);
	}
	if (c->n != c->cfg.n_members) {
		lag_err("controller: %d of %d members found", c->n, c->cfg.n_members);
		return -ENODEV;
	}
	return 0;
}

int ctrl_member_add(struct ctrl *c, const char *name, char *err, size_t len)
{
	struct lag_member rec;
	struct ctrl_member *mb;
	struct nl_link l;
	int ret;

	if (c->n >= LAG_MAX_MEMBERS || nl_link_get(&c->nl, name, 0, &l) ||
	    maps_member_get(&c->maps, (__u32)l.ifindex, &rec) ||
	    ctrl_member_by_ifindex(c, l.ifindex)) {
		snprintf(err, len, "no such prepared member");
		return -ENOENT;
	}
	mb = &c->m[c->n];
	member_fill(mb, &l, &rec);
	mb->carrier = (l.flags & IFF_UP) && l.carrier; /* IFLA_CARRIER: read now, not counted */
	ret = c->mode->member_add ? c->mode->member_add(c, mb) : 0;
	if (ret) {
		snprintf(err, len, "%.16s: LACP port: %.64s", name, strerror(-ret));
		return ret;
	}
	c->n++;
	snprintf(c->cfg.members[c->cfg.n_members++], IF_NAMESIZE, "%s", name);
	ctrl_stack_member_add(c, mb);
	lag_log(LAG_LOG_INFO, "%s %s: added (slot %u)\n", c->cfg.name, name, mb->slot);
	membership_event(c, mb, "added");
	ctrl_publish(c);
	return 0;
}

static void config_forget(struct lag_config *cfg, const char *name)
{
	for (int i = 0; i < cfg->n_members; i++) {
		if (strcmp(cfg->members[i], name))
			continue;
		memmove(cfg->members[i], cfg->members[i + 1],
			(size_t)(cfg->n_members - i - 1) * sizeof(cfg->members[0]));
		cfg->n_members--;
		return;
	}
}

/* Out of the table first, then forgotten; the command then restores it. */
int ctrl_member_del(struct ctrl *c, const char *name, char *err, size_t len)
{
	struct ctrl_member *mb = ctrl_member_by_name(c, name);

	if (!mb) {
		snprintf(err, len, "not a member of %s", c->cfg.name);
		return -ENOENT;
	}
	if (c->n == 1) {
		snprintf(err, len, "the last member cannot leave: detach the LAG instead");
		return -EBUSY;
	}
	if (c->mode->goodbye)
		c->mode->goodbye(c, mb);
	mb->carrier = 0;
	ctrl_stack_member_del(c, mb);
	if (c->mode->member_del)
		c->mode->member_del(c, mb);
	ctrl_publish(c);
	ctrl_publish_flags(c, mb, 0, 0);
	if (mb->gone) {
		/* No device to restore: the command has nothing to do, forget it here. */
		maps_member_del(&c->maps, (__u32)mb->ifindex);
		maps_lacp_del(&c->maps, (__u32)mb->ifindex);
		/* Its links died with it; their pins go, or a later device with
		 * the same ifindex could not pin its own.
		 */
		if (links_detach_xdp(&c->maps, mb->ifindex) ||
		    links_detach_tc(&c->maps, mb->ifindex, 0, 0))
			lag_log(LAG_LOG_WARN, "%s %s: its link pins stay\n", c->cfg.name, name);
	}
	lag_log(LAG_LOG_INFO, "%s %s: removed\n", c->cfg.name, name);
	c->n--;
	membership_event(c, mb, "removed");
	c->n++;
	config_forget(&c->cfg, name);
	memmove(mb, mb + 1, (size_t)(&c->m[c->n] - (mb + 1)) * sizeof(*mb));
	c->n--;
	ctrl_publish_invalidate(c);
	ctrl_publish(c);
	return 0;
}

static void member_carrier(struct ctrl *c, struct ctrl_member *mb, int carrier, const char *why)
{
	if (mb->carrier == carrier)
		return;
	mb->carrier = carrier;
	mb->carrier_changes++;
	lag_log(LAG_LOG_INFO, "%s %s: carrier %s (%s)\n", c->cfg.name, mb->name,
		carrier ? "up" : "down", why);
	if (ctrl_events_monitored(c)) {
		struct lag_event e;

		ctrl_event_start(c, &e, LAG_EV_CARRIER, mb);
		lag_event_str(&e, "from", carrier ? "down" : "up");
		lag_event_str(&e, "to", carrier ? "up" : "down");
		lag_event_str(&e, "seenBy", why);
		ctrl_event_emit(c, &e);
	}
	if (!carrier)
		ctrl_publish_loss(c, mb);
	if (c->mode->carrier)
		c->mode->carrier(c, mb);
	ctrl_publish(c);
}

/* Its device was deleted: out of distribution now and for good. A device
 * made later under the same name is another ifindex: not this member.
 */
static void member_gone(struct ctrl *c, struct ctrl_member *mb)
{
	if (mb->gone)
		return;
	mb->gone = 1;
	lag_log(LAG_LOG_WARN,
		"%s %s: deleted (ifindex %d): out of the LAG; lagbpf del %s %s forgets it\n",
		c->cfg.name, mb->name, mb->ifindex, c->cfg.name, mb->name);
	member_carrier(c, mb, 0, "deleted");
}

/* The member's device was renamed: follow it, by ifindex. */
static void member_renamed(struct ctrl *c, struct ctrl_member *mb, const char *name)
{
	lag_log(LAG_LOG_INFO, "%s %s: renamed %s\n", c->cfg.name, mb->name, name);
	for (int i = 0; i < c->cfg.n_members; i++)
		if (!strcmp(c->cfg.members[i], mb->name))
			snprintf(c->cfg.members[i], IF_NAMESIZE, "%s", name);
	snprintf(mb->name, sizeof(mb->name), "%s", name);
}

void ctrl_link_event(void *ctx, const struct nl_link *l, int deleted)
{
	struct ctrl *c = ctx;
	struct ctrl_member *mb = ctrl_member_by_ifindex(c, l->ifindex);

	if (l->ifindex == c->lag_ifindex && !deleted) {
		ctrl_stack_lag_event(c, l);
		return;
	}
	if (!mb || mb->gone)
		return;
	if (deleted) {
		member_gone(c, mb);
		return;
	}
	if (strcmp(l->name, mb->name))
		member_renamed(c, mb, l->name);
	if (mb->polled != (events_may_lag(l) && !mb->no_get_link)) {
		mb->polled = !mb->polled;
		lag_log(LAG_LOG_DEBUG, "%s %s: carrier %s\n", c->cfg.name, mb->name,
			mb->polled ? "polled (its link events may come late)" : "from link events");
	}
	member_carrier(c, mb, (l->flags & IFF_UP) && l->carrier, "rtnetlink");
}

/* Members are tracked by ifindex: a rename or deletion shows in its name. */
static int member_name_check(struct ctrl *c, struct ctrl_member *mb)
{
	char name[IF_NAMESIZE];
	int err = ethtool_ifname(mb->ifindex, name);

	if (err) {
		if (err == -ENXIO || err == -ENODEV)
			member_gone(c, mb);
		return err;
	}
	if (strcmp(name, mb->name))
		member_renamed(c, mb, name);
	return 0;
}

void ctrl_poll_carriers(struct ctrl *c, int all)
{
	for (int i = 0; i < c->n; i++) {
		struct ctrl_member *mb = &c->m[i];
		int up;

		if (mb->gone || (!all && !mb->polled))
			continue;
		if (all && member_name_check(c, mb))
			continue;
		up = ethtool_carrier(mb->name);
		if (up == -ENODEV && !all && member_name_check(c, mb) == 0)
			up = ethtool_carrier(mb->name); /* renamed since the last look */
		if (up == -EOPNOTSUPP && !mb->no_get_link) {
			/* No get_link: only link events tell this member's carrier. */
			mb->polled = 0;
			mb->no_get_link = 1;
			lag_log(LAG_LOG_INFO,
				"%s %s: the driver cannot tell its carrier on "
				"demand: link events only\n",
				c->cfg.name, mb->name);
		}
		if (up < 0)
			continue;
		member_carrier(c, mb, up,
			       mb->polled && c->cfg.carrier_poll_ms ? "poll" : "1 s check");
	}
}

int ctrl_polling(const struct ctrl *c)
{
	if (!c->cfg.carrier_poll_ms)
		return 0;
	for (int i = 0; i < c->n; i++)
		if (c->m[i].polled && !c->m[i].gone)
			return 1;
	return 0;
}
