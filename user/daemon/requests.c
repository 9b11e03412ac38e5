// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Requests on the control socket: show, set, add, del. `set` is validated
 * by the same option table and rules as attach, so both say the same thing.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>
#include <string.h>
#include <json-c/json.h>
#include "conf/conffile.h"
#include "conf/names.h"
#include "conf/options.h"
#include "daemon/mode.h"
#include "daemon/state.h"
#include "sys/log.h"

static json_object *reply(int ret, const char *err)
{
	json_object *o = json_object_new_object();

	if (ret == 0)
		json_object_object_add(o, "ok", json_object_new_boolean(1));
	else
		json_object_object_add(o, "error", json_object_new_string(err));
	return o;
}

static int apply_hash(struct ctrl *c, enum lag_hash_policy h, char *err, size_t len)
{
	struct lag_cfg cfg;

	if (maps_cfg_get(&c->maps, &cfg)) {
		snprintf(err, len, "cannot read lag_cfg");
		return -1;
	}
	cfg.hash_policy = (__u32)h;
	if (maps_cfg_set(&c->maps, &cfg)) {
		snprintf(err, len, "cannot write lag_cfg");
		return -1;
	}
	return 0;
}

/* "KEY VALUE": an option of the table that `set` may change. */
static int set(struct ctrl *c, const char *args, char *err, size_t len)
{
	char key[32] = "", val[64] = "";
	const struct lag_option *o;
	struct lag_config next;
	int changed = 0, end = 0;

	if (sscanf(args, "%31s %63s%n", key, val, &end) != 2 || args[end]) {
		snprintf(err, len, "bad set request: %.64s", args);
		return -1;
	}
	o = lag_option_find(key, LAG_OPT_SET);
	if (!o) {
		snprintf(err, len, "unknown setting %s", key);
		return -1;
	}
	next = c->cfg;
	if (lag_option_apply(&next, o, val, err, len) || lag_config_check(&next, err, len))
		return -1;
	if (strcmp(next.metrics_listen, c->cfg.metrics_listen)) {
		if (ctrl_http_relisten(c, next.metrics_listen, err, len))
			return -1;
		memcpy(c->cfg.metrics_listen, next.metrics_listen, sizeof(c->cfg.metrics_listen));
	}
	if (next.hash != c->cfg.hash && apply_hash(c, next.hash, err, len))
		return -1;
	c->cfg.hash = next.hash;
	if (next.min_links != c->cfg.min_links) {
		c->cfg.min_links = next.min_links;
		if (c->mode->set_min_links)
			changed |= c->mode->set_min_links(c);
	}
	if (next.rate != c->cfg.rate) {
		c->cfg.rate = next.rate;
		if (c->mode->set_rate)
			changed |= c->mode->set_rate(c);
	}
	if (next.slow_rate != c->cfg.slow_rate || next.slow_burst != c->cfg.slow_burst) {
		if (maps_slow_police_set(&c->maps,
					 next.slow_rate ? next.slow_rate : LAG_SLOW_RATE_UNLIMITED,
					 next.slow_burst)) {
			snprintf(err, len, "cannot write lag_cfg");
			return -1;
		}
		c->cfg.slow_rate = next.slow_rate;
		c->cfg.slow_burst = next.slow_burst;
	}
	c->cfg.rebalance_s = next.rebalance_s;	       /* rebalance.c reads it every second */
	c->cfg.carrier_poll_ms = next.carrier_poll_ms; /* the loop retimes after this */
	lag_log(LAG_LOG_INFO, "%s: set %s %s%s\n", c->cfg.name, key, val,
		changed ? " (machines moved)" : "");
	ctrl_publish_invalidate(c);
	ctrl_publish(c);
	ctrl_conf_save(c);
	return 0;
}

void ctrl_conf_save(struct ctrl *c)
{
	char text[8192], tmp[sizeof(c->paths.conf) + 8];
	int n = lag_conffile_format(&c->cfg, text, sizeof(text)), fd, err = 0;

	if (n < 0 || snprintf(tmp, sizeof(tmp), "%s.tmp", c->paths.conf) >= (int)sizeof(tmp))
		err = -ENOSPC;
	fd = err ? -1 : open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (!err && fd < 0)
		err = -errno;
	if (!err && write(fd, text, (size_t)n) != n)
		err = -errno;
	if (fd >= 0 && close(fd) && !err)
		err = -errno;
	if (!err && rename(tmp, c->paths.conf))
		err = -errno;
	if (err)
		lag_log(LAG_LOG_WARN, "%s: cannot save %s: %s\n", c->cfg.name, c->paths.conf,
			strerror(-err));
}

json_object *ctrl_request(struct ctrl *c, const char *req)
{
	char err[LAG_ERR_LEN] = "";
	int ret;

	if (!strcmp(req, "show"))
		return ctrl_status(c);
	if (!strncmp(req, "set ", 4))
		return reply(set(c, req + 4, err, sizeof(err)), err);
	if (!strncmp(req, "add ", 4) || !strncmp(req, "del ", 4)) {
		/* One interface name, nothing else. */
		if (lag_ifname_check("member", req + 4, err, sizeof(err)))
			return reply(-1, err);
		ret = req[0] == 'a' ? ctrl_member_add(c, req + 4, err, sizeof(err))
				    : ctrl_member_del(c, req + 4, err, sizeof(err));
		if (!ret)
			ctrl_conf_save(c);
		return reply(ret, err);
	}
	return reply(-1, "unknown request");
}
