// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* What the verbs share: usage lines and asking a LAG's controller. */
#include <dirent.h>
#include <errno.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>
#include "cli/cmd.h"
#include "conf/config.h"
#include "conf/names.h"
#include "sys/ctl_socket.h"
#include "sys/log.h"

int cmd_usage(int asked, const char *synopsis)
{
	fprintf(asked ? stdout : stderr, "usage: %s", synopsis);
	return asked ? 0 : 2;
}

int cmd_ctl(const char *sock, const char *req, const char *what)
{
	char *reply = NULL;
	json_object *doc, *e = NULL;
	int err;

	err = ctl_call(sock, req, &reply);
	if (err) {
		lag_err("the controller does not answer: %s", strerror(-err));
		return 1;
	}
	doc = json_tokener_parse(reply);
	free(reply);
	if (!doc || json_object_object_get_ex(doc, "error", &e)) {
		lag_err("%s%s%s", what ? what : "", what ? ": " : "",
			doc ? json_object_get_string(e) : "unreadable answer");
		json_object_put(doc);
		return 1;
	}
	json_object_put(doc);
	return 0;
}

int cmd_lag_paths(const char *lag, struct lag_paths *p)
{
	char err[LAG_ERR_LEN];
	int ret = lag_name_check(lag, err, sizeof(err));

	if (ret) {
		lag_err("%s", err);
		return ret;
	}
	ret = lag_paths_get(lag, p);
	if (ret)
		lag_err("cannot name the paths of %s: %s", lag, strerror(-ret));
	return ret;
}

int cmd_each_lag(int (*cb)(void *ctx, const char *lag, const struct lag_paths *p), void *ctx)
{
	struct lag_paths ns;
	struct dirent *de;
	int ret = 0;
	DIR *d;

	if (lag_paths_get(NULL, &ns))
		return 1;
	d = opendir(ns.run_dir);
	while (d && (de = readdir(d))) {
		char name[64], why[LAG_ERR_LEN];
		size_t len = strlen(de->d_name);
		struct lag_paths p;

		if (len < 6 || len - 5 >= sizeof(name) || strcmp(de->d_name + len - 5, ".sock"))
			continue;
		memcpy(name, de->d_name, len - 5);
		name[len - 5] = '\0';
		if (lag_name_check(name, why, sizeof(why)) || lag_paths_get(name, &p))
			continue;
		if (cb(ctx, name, &p))
			ret = 1;
	}
	if (d)
		closedir(d);
	return ret;
}

int cmd_subscribe(const char *sock, const char *req, char *err, size_t len)
{
	char line[512];
	size_t n = 0;
	json_object *doc, *e = NULL;
	int fd = ctl_subscribe(sock, req), ret = 0;

	if (fd < 0) {
		if (fd == -ENOENT)
			snprintf(err, len, "no such LAG here (no controller socket)");
		else
			snprintf(err, len, "the controller does not answer: %s", strerror(-fd));
		return fd;
	}
	/* The answer line, byte by byte: what follows it is the stream. */
	while (n + 1 < sizeof(line)) {
		ssize_t r = read(fd, line + n, 1);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 || (r == 0 && !n)) {
			ret = r < 0 ? -errno : -ECONNRESET;
			break;
		}
		if (r == 0)
			break; /* a refusal is one document, then the end */
		if (line[n] == '\n')
			break;
		n++;
	}
	line[n] = '\0';
	doc = ret ? NULL : json_tokener_parse(line);
	if (!doc || !json_object_object_get_ex(doc, "ok", NULL)) {
		if (doc && json_object_object_get_ex(doc, "error", &e))
			snprintf(err, len, "%s", json_object_get_string(e));
		else
			snprintf(err, len, "unreadable answer from the controller%s%s",
				 ret ? ": " : "", ret ? strerror(-ret) : "");
		json_object_put(doc);
		close(fd);
		return ret ? ret : -EPROTO;
	}
	json_object_put(doc);
	return fd;
}
