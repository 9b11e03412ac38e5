// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Namespaces, bpffs and the paths of a LAG. Two namespaces may each have a
 * lag0: their pins and sockets live in per-namespace folders.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include "sys/netns.h"

#define NETNS_RUN_DIR	"/var/run/netns"
#define BPF_FS_MAGIC_NR 0xcafe4a11

static char ns_name[64];
static int ns_known;

int lag_netns_enter(const char *name)
{
	char path[PATH_MAX];
	int fd, n;

	if (strchr(name, '/') || strlen(name) >= sizeof(ns_name))
		return -EINVAL;
	n = snprintf(path, sizeof(path), NETNS_RUN_DIR "/%s", name);
	if (n < 0 || n >= (int)sizeof(path))
		return -ENAMETOOLONG;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (setns(fd, CLONE_NEWNET)) {
		int err = -errno;

		close(fd);
		return err;
	}
	close(fd);
	snprintf(ns_name, sizeof(ns_name), "%s", name);
	ns_known = 1;
	return 0;
}

/* The name of the current namespace: "" for the initial one, its
 * /var/run/netns name if it has one, else "ino<N>".
 */
static int current_ns_name(char *out, size_t len, int *named)
{
	struct stat self, init, st;
	struct dirent *de;
	DIR *d;

	*named = 0;
	if (ns_known) {
		snprintf(out, len, "%s", ns_name);
		*named = 1;
		return 0;
	}
	if (stat("/proc/self/ns/net", &self))
		return -errno;
	if (stat("/proc/1/ns/net", &init) == 0 && init.st_ino == self.st_ino &&
	    init.st_dev == self.st_dev) {
		out[0] = '\0';
		return 0;
	}
	d = opendir(NETNS_RUN_DIR);
	while (d && (de = readdir(d))) {
		char path[PATH_MAX];

		if (de->d_name[0] == '.')
			continue;
		if (snprintf(path, sizeof(path), NETNS_RUN_DIR "/%s", de->d_name) >=
		    (int)sizeof(path))
			continue;
		if (stat(path, &st) == 0 && st.st_ino == self.st_ino && st.st_dev == self.st_dev &&
		    strlen(de->d_name) < len) {
			snprintf(out, len, "%s", de->d_name);
			*named = 1;
			closedir(d);
			return 0;
		}
	}
	if (d)
		closedir(d);
	snprintf(out, len, "ino%lu", (unsigned long)self.st_ino);
	return 0;
}

#define PATH_SET(dst, ...)                                                                         \
	do {                                                                                       \
		int n_ = snprintf(dst, sizeof(dst), __VA_ARGS__);                                  \
		if (n_ < 0 || n_ >= (int)sizeof(dst))                                              \
			return -ENAMETOOLONG;                                                      \
	} while (0)

static int paths_fill(const char *lag, struct lag_paths *p)
{
	if (p->ns[0]) {
		PATH_SET(p->run_dir, LAG_RUN_ROOT "/netns/%s", p->ns);
		PATH_SET(p->pin_dir, LAG_PIN_ROOT "/netns/%s%s%s", p->ns, lag ? "/" : "",
			 lag ? lag : "");
	} else {
		PATH_SET(p->run_dir, LAG_RUN_ROOT);
		PATH_SET(p->pin_dir, LAG_PIN_ROOT "%s%s", lag ? "/" : "", lag ? lag : "");
	}
	if (!lag)
		return 0;
	PATH_SET(p->sock, "%s/%s.sock", p->run_dir, lag);
	PATH_SET(p->pid, "%s/%s.pid", p->run_dir, lag);
	PATH_SET(p->log, "%s/%s.log", p->run_dir, lag);
	PATH_SET(p->conf, "%s/%s.conf", p->run_dir, lag);
	return 0;
}

int lag_paths_get(const char *lag, struct lag_paths *p)
{
	int ret;

	memset(p, 0, sizeof(*p));
	ret = current_ns_name(p->ns, sizeof(p->ns), &p->ns_named);
	if (ret)
		return ret;
	return paths_fill(lag, p);
}

int lag_paths_in(const char *ns, const char *lag, struct lag_paths *p)
{
	memset(p, 0, sizeof(*p));
	if (snprintf(p->ns, sizeof(p->ns), "%s", ns) >= (int)sizeof(p->ns))
		return -ENAMETOOLONG;
	p->ns_named = !!ns[0];
	return paths_fill(lag, p);
}

static int ns_stat(const char *name, struct stat *st)
{
	char path[PATH_MAX];

	if (snprintf(path, sizeof(path), NETNS_RUN_DIR "/%s", name) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	return stat(path, st) ? -errno : 0;
}

int lag_netns_exists(const char *name)
{
	struct stat st;

	return ns_stat(name, &st) == 0;
}

int lag_netns_is_current(const char *name)
{
	struct stat self, st;

	if (stat("/proc/self/ns/net", &self))
		return -errno;
	if (ns_stat(name, &st))
		return 0;
	return st.st_ino == self.st_ino && st.st_dev == self.st_dev;
}

int lag_mkdir_p(const char *path)
{
	char tmp[PATH_MAX];

	if (snprintf(tmp, sizeof(tmp), "%s", path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	for (char *s = tmp + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(tmp, 0700) && errno != EEXIST)
			return -errno;
		*s = '/';
	}
	if (mkdir(tmp, 0700) && errno != EEXIST)
		return -errno;
	return 0;
}

int lag_bpffs_ensure(void)
{
	struct statfs st;

	if (statfs(LAG_BPFFS, &st) == 0 && (unsigned long)st.f_type == BPF_FS_MAGIC_NR)
		return 0;
	if (mount("bpf", LAG_BPFFS, "bpf", 0, "mode=0700"))
		return -errno;
	return 0;
}
