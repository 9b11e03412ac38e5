// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The bottom of the daemon: finding members, the state words of show -j and
 * watching file descriptors. Every other daemon file may call these; these
 * call none of them (the mode table is data: its state words).
 */
#include <errno.h>
#include <string.h>
#include <sys/epoll.h>
#include "daemon/mode.h"
#include "daemon/state.h"

struct ctrl_member *ctrl_member_by_ifindex(struct ctrl *c, int ifindex)
{
	for (int i = 0; i < c->n; i++)
		if (c->m[i].ifindex == ifindex)
			return &c->m[i];
	return NULL;
}

struct ctrl_member *ctrl_member_by_name(struct ctrl *c, const char *name)
{
	for (int i = 0; i < c->n; i++)
		if (!strcmp(c->m[i].name, name))
			return &c->m[i];
	return NULL;
}

struct ctrl_member *ctrl_member_by_slot(struct ctrl *c, __u32 slot)
{
	for (int i = 0; i < c->n; i++)
		if (c->m[i].slot == slot)
			return &c->m[i];
	return NULL;
}

const char *ctrl_lag_state(const struct ctrl *c)
{
	unsigned int n_up = 0, need = c->cfg.min_links ? c->cfg.min_links : 1;

	if (c->available)
		return "available";
	for (int i = 0; i < c->n; i++)
		n_up += !!c->m[i].carrier;
	/* Negotiating: enough links are up to reach min-links, LACP has not brought them
	 * into sync yet. Fewer links up than min-links is down, not pending. */
	if (n_up >= need)
		return c->mode->not_available_state;
	return "down";
}

const char *ctrl_member_state(const struct ctrl *c, const struct ctrl_member *mb)
{
	if (mb->gone)
		return "gone";
	if (!mb->carrier)
		return "down";
	if (mb->distributing)
		return "available";
	return c->mode->not_available_state;
}

int ctrl_watch_events(struct ctrl *c, int fd, uint64_t tag, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.u64 = tag };

	return epoll_ctl(c->epfd, EPOLL_CTL_ADD, fd, &ev) ? -errno : 0;
}

int ctrl_watch_modify(struct ctrl *c, int fd, uint64_t tag, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.u64 = tag };

	return epoll_ctl(c->epfd, EPOLL_CTL_MOD, fd, &ev) ? -errno : 0;
}

int ctrl_watch(struct ctrl *c, int fd, uint64_t tag)
{
	return ctrl_watch_events(c, fd, tag, EPOLLIN);
}

void ctrl_unwatch(struct ctrl *c, int fd)
{
	if (c->epfd >= 0)
		epoll_ctl(c->epfd, EPOLL_CTL_DEL, fd, NULL);
}
