// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* --metrics-listen: the controller serves GET /metrics (the Prometheus text
 * of `lagbpf metrics LAG`, from its own status document) on the one address
 * it was given. Bounded so it never delays the controller: at most
 * CTRL_MAX_HTTP_CLIENTS at once (a newcomer beyond is closed), a request
 * head of HTTP_REQ_MAX octets, CTRL_HTTP_MS to be done, every read and
 * write non-blocking, and the text made at most once per CTRL_HTTP_CACHE_MS
 * however fast clients come back. Any other path is 404.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <json-c/json.h>
#include "daemon/metrics.h"
#include "daemon/state.h"
#include "sys/clock.h"
#include "sys/log.h"

#define CTRL_HTTP_MS	   1000
#define CTRL_HTTP_CACHE_MS 100 /* a scrape flood costs at most 10 status documents a second */

/* The last text made, shared by the clients of the next CTRL_HTTP_CACHE_MS. */
static struct {
	char *text;
	size_t len;
	uint64_t made_ns;
} cache;

void ctrl_http_init(struct ctrl *c)
{
	c->http_fd = -1;
	for (int i = 0; i < CTRL_MAX_HTTP_CLIENTS; i++)
		c->http[i].fd = -1;
}

/* A listener on addr, watched: the fd, or -errno with err saying why. */
static int listen_on(struct ctrl *c, const char *addr, char *err, size_t len)
{
	struct lag_addrport a;
	int fd, ret;

	if (lag_addrport_parse(addr, &a)) {
		snprintf(err, len, "--metrics-listen %s: not ADDR:PORT", addr);
		return -EINVAL;
	}
	fd = http_listen(a.family, a.addr, a.port);
	if (fd < 0) {
		snprintf(err, len, "--metrics-listen %s: %s", addr,
			 fd == -EADDRINUSE	? "address in use (another process listens there)"
			 : fd == -EADDRNOTAVAIL ? "no such local address in this namespace"
						: strerror(-fd));
		return fd;
	}
	ret = ctrl_watch(c, fd, CTRL_EP_HTTP);
	if (ret) {
		snprintf(err, len, "--metrics-listen %s: epoll: %s", addr, strerror(-ret));
		if (close(fd))
			lag_log(LAG_LOG_DEBUG, "%s: close: %s\n", c->cfg.name, strerror(errno));
		return ret;
	}
	lag_log(LAG_LOG_INFO, "%s: metrics served at http://%s/metrics\n", c->cfg.name, addr);
	return fd;
}

int ctrl_http_listen(struct ctrl *c)
{
	char err[LAG_ERR_LEN];
	int fd;

	if (!c->cfg.metrics_listen[0])
		return 0;
	fd = listen_on(c, c->cfg.metrics_listen, err, sizeof(err));
	if (fd < 0) {
		lag_err("controller: %s", err);
		return fd;
	}
	c->http_fd = fd;
	return 0;
}

/* The listener and its clients closed, out of the event loop. */
static void stop_listening(struct ctrl *c)
{
	for (int i = 0; i < CTRL_MAX_HTTP_CLIENTS; i++) {
		if (c->http[i].fd < 0)
			continue;
		ctrl_unwatch(c, c->http[i].fd);
		http_client_close(&c->http[i]);
	}
	if (c->http_fd < 0)
		return;
	ctrl_unwatch(c, c->http_fd);
	if (close(c->http_fd))
		lag_log(LAG_LOG_DEBUG, "%s: metrics listener close: %s\n", c->cfg.name,
			strerror(errno));
	c->http_fd = -1;
}

int ctrl_http_relisten(struct ctrl *c, const char *addr, char *err, size_t len)
{
	int fd = -1;

	/* The new address first: if it cannot be had, the old one stays. */
	if (addr[0]) {
		fd = listen_on(c, addr, err, len);
		if (fd < 0)
			return fd;
	}
	stop_listening(c);
	c->http_fd = fd;
	if (fd < 0)
		lag_log(LAG_LOG_INFO, "%s: metrics no longer served\n", c->cfg.name);
	return 0;
}

static void drop(struct ctrl *c, struct http_client *cl, const char *why)
{
	if (why)
		lag_log(LAG_LOG_DEBUG, "%s: metrics client dropped: %s\n", c->cfg.name, why);
	ctrl_unwatch(c, cl->fd);
	http_client_close(cl);
}

void ctrl_http_accept(struct ctrl *c)
{
	uint64_t deadline = clock_now_ns() + CTRL_HTTP_MS * 1000000ull;

	if (c->http_fd < 0)
		return; /* an event of a listener closed by set in this round */
	for (;;) {
		struct http_client *cl = NULL, spare;
		int err;

		for (int i = 0; i < CTRL_MAX_HTTP_CLIENTS && !cl; i++)
			if (c->http[i].fd < 0)
				cl = &c->http[i];
		err = http_client_accept(c->http_fd, cl ? cl : &spare, deadline);
		if (err == -EAGAIN)
			return;
		if (err) {
			/* e.g. EMFILE: the connection stays queued; try at the next event */
			lag_log(LAG_LOG_DEBUG, "%s: metrics client refused: %s\n", c->cfg.name,
				strerror(-err));
			return;
		}
		if (!cl) {
			lag_log(LAG_LOG_DEBUG, "%s: %d metrics clients already: one refused\n",
				c->cfg.name, CTRL_MAX_HTTP_CLIENTS);
			http_client_close(&spare);
			continue;
		}
		err = ctrl_watch_events(c, cl->fd, CTRL_EP_HTTP_CLIENT + (uint64_t)(cl - c->http),
					EPOLLIN);
		if (err) {
			lag_log(LAG_LOG_WARN, "%s: metrics client: epoll: %s\n", c->cfg.name,
				strerror(-err));
			http_client_close(cl);
		}
	}
}

/* The Prometheus text of this LAG, made now or less than CTRL_HTTP_CACHE_MS
 * ago, in the cache: 0, or -errno.
 */
static int metrics_text(struct ctrl *c, const char **text, size_t *len)
{
	uint64_t now = clock_now_ns();
	json_object *all, *doc;
	char *buf = NULL;
	size_t n = 0;
	FILE *f;
	int err;

	if (cache.text && now - cache.made_ns < CTRL_HTTP_CACHE_MS * 1000000ull) {
		*text = cache.text;
		*len = cache.len;
		return 0;
	}
	all = json_object_new_array();
	if (!all)
		return -ENOMEM;
	doc = ctrl_status(c);
	if (!doc || json_object_array_add(all, doc)) {
		json_object_put(doc);
		json_object_put(all);
		return -ENOMEM;
	}
	f = open_memstream(&buf, &n);
	if (!f) {
		err = -errno;
		json_object_put(all);
		return err;
	}
	err = metrics_write(all, f);
	if (fclose(f) && !err)
		err = -EIO;
	json_object_put(all);
	if (err) {
		free(buf);
		return err;
	}
	free(cache.text);
	cache.text = buf;
	cache.len = n;
	cache.made_ns = now;
	*text = buf;
	*len = n;
	return 0;
}

static int respond(struct ctrl *c, struct http_client *cl, int rd)
{
	char method[16], path[256];
	const char *text = NULL;
	size_t len = 0;
	int status = 200, err, head_only;
	const char *msg = NULL;

	if (rd == -E2BIG) {
		status = 431;
		msg = "request head too long\n";
	} else if (http_request_line(cl, method, sizeof(method), path, sizeof(path))) {
		status = 400;
		msg = "expected GET /metrics HTTP/1.1\n";
	} else if (strcmp(method, "GET") && strcmp(method, "HEAD")) {
		status = 405;
		msg = "only GET and HEAD\n";
	} else if (strcmp(path, "/metrics")) {
		status = 404;
		msg = "not found: the metrics are at /metrics\n";
	} else if ((err = metrics_text(c, &text, &len))) {
		status = 500;
		msg = "metrics not available\n";
		lag_log(LAG_LOG_WARN, "%s: metrics: %s\n", c->cfg.name, strerror(-err));
	}
	head_only = status != 431 && status != 400 && !strcmp(method, "HEAD");
	if (msg)
		err = http_client_respond(cl, status, "text/plain; charset=utf-8", msg, strlen(msg),
					  head_only);
	else
		err = http_client_respond(cl, status, METRICS_CONTENT_TYPE, text, len, head_only);
	return err;
}

/* The response is out: shut our side, wait (within the deadline) for the peer's close. */
static void sent(struct ctrl *c, struct http_client *cl, unsigned int i)
{
	int err = http_client_linger(cl);

	if (!err)
		err = ctrl_watch_modify(c, cl->fd, CTRL_EP_HTTP_CLIENT + i, EPOLLIN);
	if (err)
		drop(c, cl, strerror(-err));
}

void ctrl_http_event(struct ctrl *c, unsigned int i)
{
	struct http_client *cl;
	int ret;

	if (i >= CTRL_MAX_HTTP_CLIENTS || c->http[i].fd < 0)
		return;
	cl = &c->http[i];
	if (cl->lingering) {
		ret = http_client_discard(cl);
		if (ret)
			drop(c, cl, ret < 0 ? strerror(-ret) : NULL);
		return;
	}
	if (cl->out) {
		ret = http_client_flush(cl);
		if (ret == 1)
			sent(c, cl, i);
		else if (ret)
			drop(c, cl, strerror(-ret));
		return;
	}
	ret = http_client_read(cl);
	if (ret == 0)
		return;
	if (ret != 1 && ret != -E2BIG) {
		drop(c, cl, strerror(-ret));
		return;
	}
	ret = respond(c, cl, ret);
	if (ret == 1) {
		sent(c, cl, i);
		return;
	}
	if (ret == 0) /* the rest when the socket takes it */
		ret = ctrl_watch_modify(c, cl->fd, CTRL_EP_HTTP_CLIENT + i, EPOLLOUT);
	if (ret < 0)
		drop(c, cl, strerror(-ret));
}

void ctrl_http_expire(struct ctrl *c, uint64_t now_ns)
{
	for (int i = 0; i < CTRL_MAX_HTTP_CLIENTS; i++)
		if (c->http[i].fd >= 0 && now_ns > c->http[i].deadline_ns)
			drop(c, &c->http[i], "too slow");
}

void ctrl_http_fini(struct ctrl *c)
{
	free(cache.text);
	cache.text = NULL;
	for (int i = 0; i < CTRL_MAX_HTTP_CLIENTS; i++)
		if (c->http[i].fd >= 0)
			http_client_close(&c->http[i]);
	if (c->http_fd >= 0 && close(c->http_fd))
		lag_log(LAG_LOG_DEBUG, "%s: metrics listener close: %s\n", c->cfg.name,
			strerror(errno));
	c->http_fd = -1;
}
