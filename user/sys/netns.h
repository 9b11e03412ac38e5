/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Network namespaces and the per-(namespace, LAG) paths: pins under bpffs,
 * the controller's socket, pid and log under /run/lagbpf.
 */
#ifndef LAGBPF_NETNS_H
#define LAGBPF_NETNS_H

#include <limits.h>

#define LAG_BPFFS    "/sys/fs/bpf"
#define LAG_PIN_ROOT LAG_BPFFS "/lagbpf"
#define LAG_RUN_ROOT "/run/lagbpf"

struct lag_paths {
	char ns[64];		/* "" in the initial namespace */
	int ns_named;		/* ns is a name under /var/run/netns (not "ino<N>") */
	char pin_dir[PATH_MAX]; /* /sys/fs/bpf/lagbpf[/netns/NS]/LAG */
	char run_dir[PATH_MAX]; /* /run/lagbpf[/netns/NS] */
	char sock[PATH_MAX];
	char pid[PATH_MAX];
	char log[PATH_MAX];
	char conf[PATH_MAX]; /* the running configuration: what restart re-reads */
};

/* Enter /var/run/netns/NAME (like ip -n) and remember the name. */
int lag_netns_enter(const char *name);
/* Paths of LAG in the current namespace; lag may be NULL for the dirs only. */
int lag_paths_get(const char *lag, struct lag_paths *p);
/* Paths of LAG (or NULL) of namespace ns ("" initial) without entering it. */
int lag_paths_in(const char *ns, const char *lag, struct lag_paths *p);
/* /var/run/netns/NAME exists / is the namespace this process is in (1, 0). */
int lag_netns_exists(const char *name);
int lag_netns_is_current(const char *name);
/* Mount bpffs on /sys/fs/bpf if nothing is there. */
int lag_bpffs_ensure(void);
/* mkdir -p with mode 0700 */
int lag_mkdir_p(const char *path);

#endif
