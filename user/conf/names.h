/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The one validator of names that reach paths or the kernel: LAG names,
 * member names and namespace names. Every verb checks its names here before
 * any path is built (sys/netns.h builds paths from checked names only).
 */
#ifndef LAGBPF_CONF_NAMES_H
#define LAGBPF_CONF_NAMES_H

#include <stddef.h>

#define LAG_NETNS_NAME_MAX 63	   /* fits the paths' per-namespace folder */
#define LAG_NAME_RESERVED  "netns" /* the per-namespace folder under the roots */

/* Interface-name rules of the kernel (dev_valid_name): 1..15 characters, not
 * "." or "..", no '/', ':' or whitespace. Returns 0, or -EINVAL with err
 * saying why, naming it as what ("LAG name", "member").
 */
int lag_ifname_check(const char *what, const char *name, char *err, size_t len);
/* A LAG name: an interface name of at most LAG_NAME_MAX characters (its peer
 * is "lbp-" + name), and not the reserved "netns".
 */
int lag_name_check(const char *name, char *err, size_t len);
/* A namespace name for -n: as `ip netns` names it under /var/run/netns. */
int lag_netns_name_check(const char *name, char *err, size_t len);

#endif
