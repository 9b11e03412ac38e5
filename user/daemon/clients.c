// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Clients of the control socket, served without ever blocking the event
 * loop: each is read and written as its data comes, at most
 * CTRL_MAX_CLIENTS at once, and closed if not done within CTRL_CLIENT_MS. A
 * client that connects and says nothing costs a slot for a second, never
 * the carrier poll or a failover. A subscription (monitor, capture) leaves
 * for events.c, which has no deadline.
 */
#include <errno.h>
#include <string.h>
#include <sys/epoll.h>
#include <json-c/json.h>
#include "daemon/state.h"
#include "sys/clock.h"
#include "sys/log.h"

#define CTRL_CLIENT_MS 1000

void ctrl_clients_init(struct ctrl *c)
{
	for (int i = 0; i < CTRL_MAX_CLIENTS; i++)
		c->client[i].fd = -1;
}

static void drop(struct ctrl *c, struct ctl_client *cl, const char *why)
{
	if (why)
		lag_log(LAG_LOG_DEBUG, "%s: control client dropped: %s\n", c->cfg.name, why);
	ctrl_unwatch(c, cl->fd);
	ctl_client_close(cl);
}

void ctrl_clients_accept(struct ctrl *c, int lfd)
{
	uint64_t deadline = clock_now_ns() + CTRL_CLIENT_MS * 1000000ull;

	for (;;) {
		struct ctl_client *cl = NULL, spare;
		int i, err;

		for (i = 0; i < CTRL_MAX_CLIENTS && !cl; i++)
			if (c->client[i].fd < 0)
				cl = &c->client[i];
		err = ctl_client_accept(lfd, cl ? cl : &spare, deadline);
		if (err == -EAGAIN)
			return;
		if (err) {
			lag_log(LAG_LOG_WARN, "%s: control client refused: %s\n", c->cfg.name,
				strerror(-err));
			continue;
		}
		if (!cl) {
			/* Full: the newcomer is closed, the clients being served go on. */
			lag_log(LAG_LOG_WARN, "%s: %d control clients already: one refused\n",
				c->cfg.name, CTRL_MAX_CLIENTS);
			ctl_client_close(&spare);
			continue;
		}
		err = ctrl_watch_events(c, cl->fd, CTRL_EP_CLIENT + (uint64_t)(cl - c->client),
					EPOLLIN);
		if (err) {
			lag_log(LAG_LOG_WARN, "%s: control client: epoll: %s\n", c->cfg.name,
				strerror(-err));
			ctl_client_close(cl);
		}
	}
}

static void answer(struct ctrl *c, struct ctl_client *cl, int ret)
{
	char why[LAG_ERR_LEN];
	json_object *doc;
	int err;

	if (ret == 1 && ctrl_events_is_subscription(cl->in)) {
		/* monitor, capture: the connection stays, events.c takes it over
		 * (no deadline from now on), or the reason it cannot is the answer.
		 */
		if (ctrl_events_subscribe(c, cl->fd, cl->in, why, sizeof(why)) == 0) {
			cl->fd = -1;
			ctl_client_close(cl);
			return;
		}
		doc = json_object_new_object();
		json_object_object_add(doc, "error", json_object_new_string(why));
	} else if (ret == -EPROTO) {
		doc = json_object_new_object();
		json_object_object_add(doc, "error",
				       json_object_new_string("malformed request: one line, "
							      "nothing after it"));
	} else {
		doc = ctrl_request(c, cl->in);
	}
	err = ctl_client_reply(cl, json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PLAIN));
	json_object_put(doc);
	if (err == 0)
		err = ctrl_watch_modify(c, cl->fd, CTRL_EP_CLIENT + (uint64_t)(cl - c->client),
					EPOLLOUT);
	if (err)
		drop(c, cl, err < 0 ? strerror(-err) : NULL);
}

void ctrl_clients_event(struct ctrl *c, unsigned int i)
{
	struct ctl_client *cl;
	int ret;

	if (i >= CTRL_MAX_CLIENTS || c->client[i].fd < 0)
		return;
	cl = &c->client[i];
	if (cl->out) {
		ret = ctl_client_flush(cl);
		if (ret)
			drop(c, cl, ret < 0 ? strerror(-ret) : NULL);
		return;
	}
	ret = ctl_client_read(cl);
	if (ret == 1 || ret == -EPROTO)
		answer(c, cl, ret);
	else if (ret < 0)
		drop(c, cl, strerror(-ret));
}

void ctrl_clients_expire(struct ctrl *c, uint64_t now_ns)
{
	for (int i = 0; i < CTRL_MAX_CLIENTS; i++)
		if (c->client[i].fd >= 0 && now_ns > c->client[i].deadline_ns)
			drop(c, &c->client[i], "too slow");
}

void ctrl_clients_fini(struct ctrl *c)
{
	for (int i = 0; i < CTRL_MAX_CLIENTS; i++)
		if (c->client[i].fd >= 0)
			ctl_client_close(&c->client[i]);
}
