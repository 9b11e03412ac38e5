// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* LAGs on the whole host, and orphans: a LAG whose namespace was deleted
 * (`ip netns del`) while its controller was gone. Its members and device
 * died with the namespace; its pins and run files stay until removed here.
 */
#include <dirent.h>
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "conf/names.h"
#include "lag/lag.h"
#include "sys/log.h"

int lag_detach_orphan(const char *name, const struct lag_paths *p)
{
	char dir[PATH_MAX];
	int err = 0;

	if (access(p->pin_dir, F_OK) == 0)
		err = maps_unpin(p->pin_dir);
	unlink(p->sock);
	unlink(p->pid);
	unlink(p->log);
	unlink(p->conf);
	if (p->ns[0]) {
		snprintf(dir, sizeof(dir), "%s", p->pin_dir);
		rmdir(dirname(dir));
		rmdir(p->run_dir);
	}
	if (err)
		lag_err("removed what was left of %s, but: %s", name, strerror(-err));
	return err;
}

/* Each LAG folder under one namespace's pin folder. */
static int walk_ns(const char *ns, lag_walk_cb cb, void *ctx)
{
	struct lag_paths root;
	struct dirent *de;
	char why[LAG_ERR_LEN];
	int n = 0;
	DIR *d;

	if (lag_paths_in(ns, NULL, &root))
		return 0;
	d = opendir(root.pin_dir);
	while (d && (de = readdir(d))) {
		struct lag_paths p;

		if (de->d_name[0] == '.' || lag_name_check(de->d_name, why, sizeof(why)) ||
		    lag_paths_in(ns, de->d_name, &p))
			continue;
		cb(ctx, de->d_name, &p, !ns[0] || lag_netns_exists(ns));
		n++;
	}
	if (d)
		closedir(d);
	return n;
}

int lag_walk_all(lag_walk_cb cb, void *ctx)
{
	struct dirent *de;
	char why[LAG_ERR_LEN];
	int n = walk_ns("", cb, ctx);
	DIR *d = opendir(LAG_PIN_ROOT "/" LAG_NAME_RESERVED);

	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.' || lag_netns_name_check(de->d_name, why, sizeof(why)))
			continue;
		n += walk_ns(de->d_name, cb, ctx);
	}
	if (d)
		closedir(d);
	return n;
}
