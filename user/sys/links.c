// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Program attachment. Programs are attached through bpf_links pinned in the
 * LAG's folder beside its maps: XDP links on the members, tcx links for TC
 * where the kernel has them (Linux 6.6+). A link cannot be replaced by
 * another tool, and detach and rollback remove exactly the links this LAG
 * pinned. Without tcx, TC falls back to clsact filters with a fixed handle;
 * LAGs of ABI 1 had XDP attached without a link (detached by name here).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/if_link.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "sys/links.h"

/* Linux 6.6's tcx attach types; the uapi headers here are older. */
#define LAG_BPF_TCX_INGRESS 46
#define LAG_BPF_TCX_EGRESS  47

int links_xdp_prog_name(int ifindex, char *name, size_t len, __u32 *id)
{
	LIBBPF_OPTS(bpf_xdp_query_opts, q);
	struct bpf_prog_info info = {};
	__u32 info_len = sizeof(info);
	int fd, err;

	name[0] = '\0';
	*id = 0;
	err = bpf_xdp_query(ifindex, 0, &q);
	if (err)
		return err;
	*id = q.prog_id;
	if (!q.prog_id)
		return 0;
	fd = bpf_prog_get_fd_by_id(q.prog_id);
	if (fd < 0)
		return -errno;
	err = bpf_obj_get_info_by_fd(fd, &info, &info_len);
	close(fd);
	if (err)
		return err;
	snprintf(name, len, "%s", info.name);
	return 0;
}

/* A link's pin: link_xdp_IFINDEX, link_rx_IFINDEX or link_tx_IFINDEX (bpffs
 * refuses dots in names). */
static int link_path(const struct lag_maps *m, const char *kind, int ifindex, char *path,
		     size_t len)
{
	return snprintf(path, len, "%s/link_%s_%d", m->pin_dir, kind, ifindex) >= (int)len
		       ? -ENAMETOOLONG
		       : 0;
}

/* Make a link and pin it; the pin holds it (our fd goes). */
static int link_make(const struct lag_maps *m, const char *kind, int prog, int ifindex,
		     enum bpf_attach_type type, __u32 flags)
{
	LIBBPF_OPTS(bpf_link_create_opts, o, .flags = flags);
	char path[512];
	int fd, err;

	err = link_path(m, kind, ifindex, path, sizeof(path));
	if (err)
		return err;
	fd = bpf_link_create(prog, ifindex, type, &o);
	if (fd < 0)
		return -errno;
	err = bpf_obj_pin(fd, path) ? -errno : 0;
	close(fd); /* unpinned: this detaches it again */
	return err;
}

/* Detach and unpin one of our links: 0, or -ENOENT if there is no such pin. */
static int link_remove(const struct lag_maps *m, const char *kind, int ifindex)
{
	char path[512];
	int fd, err;

	err = link_path(m, kind, ifindex, path, sizeof(path));
	if (err)
		return err;
	fd = bpf_obj_get(path);
	if (fd < 0)
		return -errno;
	/* Detach now: someone else holding the link must not keep it attached.
	 * A link whose device is gone is defunct already (ENOLINK).
	 */
	err = bpf_link_detach(fd) && errno != ENOLINK && errno != ENODEV ? -errno : 0;
	close(fd);
	if (unlink(path) && errno != ENOENT && !err)
		err = -errno;
	return err;
}

int links_attach_xdp(struct lag_maps *m, int ifindex, int generic)
{
	return link_make(m, "xdp", m->prog_xdp, ifindex, BPF_XDP,
			 generic ? XDP_FLAGS_SKB_MODE : XDP_FLAGS_DRV_MODE);
}

const char *links_xdp_mode(int ifindex)
{
	LIBBPF_OPTS(bpf_xdp_query_opts, q);

	if (bpf_xdp_query(ifindex, 0, &q))
		return "unknown";
	switch (q.attach_mode) {
	case XDP_ATTACHED_SKB:
		return "skb";
	case XDP_ATTACHED_DRV:
		return "native";
	case XDP_ATTACHED_HW:
		return "offload";
	case XDP_ATTACHED_NONE:
		return "none";
	default:
		return "multi";
	}
}

/* ABI 1 attached XDP without a link: only a program named lag_xdp goes. */
static int xdp_detach_unlinked(int ifindex)
{
	LIBBPF_OPTS(bpf_xdp_query_opts, q);
	char name[BPF_OBJ_NAME_LEN];
	__u32 id;
	int err;

	err = links_xdp_prog_name(ifindex, name, sizeof(name), &id);
	if (err)
		return err == -ENODEV ? 0 : err;
	if (!id || strcmp(name, "lag_xdp"))
		return 0; /* nothing, or not ours */
	err = bpf_xdp_query(ifindex, 0, &q);
	if (err)
		return err;
	return bpf_xdp_detach(
		ifindex,
		q.attach_mode == XDP_ATTACHED_SKB ? XDP_FLAGS_SKB_MODE : XDP_FLAGS_DRV_MODE, NULL);
}

int links_detach_xdp(struct lag_maps *m, int ifindex)
{
	int err = link_remove(m, "xdp", ifindex);

	return err == -ENOENT ? xdp_detach_unlinked(ifindex) : err;
}

/* clsact, where the kernel has no tcx: our filters have a fixed handle. */
#define LAG_TC_HANDLE 0x1ab
#define LAG_TC_PRIO   1

static int clsact_attach(int prog, int ifindex, int egress, int *own_qdisc)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex,
		    .attach_point = egress ? BPF_TC_EGRESS : BPF_TC_INGRESS);
	LIBBPF_OPTS(bpf_tc_opts, opts, .handle = LAG_TC_HANDLE, .priority = LAG_TC_PRIO);
	int err;

	opts.prog_fd = prog;
	err = bpf_tc_hook_create(&hook);
	*own_qdisc = err == 0;
	if (err && err != -EEXIST)
		return err;
	err = bpf_tc_attach(&hook, &opts);
	if (err && *own_qdisc) {
		hook.attach_point = BPF_TC_INGRESS | BPF_TC_EGRESS;
		bpf_tc_hook_destroy(&hook);
		*own_qdisc = 0;
	}
	return err;
}

static int clsact_detach(int ifindex, int egress, int own_qdisc)
{
	LIBBPF_OPTS(bpf_tc_hook, hook, .ifindex = ifindex,
		    .attach_point = egress ? BPF_TC_EGRESS : BPF_TC_INGRESS);
	LIBBPF_OPTS(bpf_tc_opts, opts, .handle = LAG_TC_HANDLE, .priority = LAG_TC_PRIO);
	int err;

	err = bpf_tc_query(&hook, &opts);
	if (err == 0) {
		opts.prog_fd = opts.prog_id = opts.flags = 0;
		err = bpf_tc_detach(&hook, &opts);
	}
	if (err == -ENOENT || err == -ENODEV || err == -EINVAL)
		err = 0;
	if (own_qdisc) {
		int e;

		hook.attach_point = BPF_TC_INGRESS | BPF_TC_EGRESS;
		e = bpf_tc_hook_destroy(&hook);
		if (e && e != -ENOENT && e != -ENODEV && e != -EINVAL && !err)
			err = e;
	}
	return err;
}

/* A tcx link where the kernel has tcx, else a clsact filter. */
static int tc_attach(struct lag_maps *m, const char *kind, int prog, int ifindex, int egress,
		     int *own_qdisc)
{
	int err;

	*own_qdisc = 0;
	err = link_make(m, kind, prog, ifindex,
			(enum bpf_attach_type)(egress ? LAG_BPF_TCX_EGRESS : LAG_BPF_TCX_INGRESS),
			0);
	/* A kernel without tcx does not know the attach type. */
	if (err == -EINVAL)
		err = clsact_attach(prog, ifindex, egress, own_qdisc);
	return err;
}

int links_attach_tc(struct lag_maps *m, int ifindex, int egress, int *own_qdisc)
{
	return tc_attach(m, egress ? "tx" : "rx", egress ? m->prog_tx : m->prog_rx, ifindex, egress,
			 own_qdisc);
}

int links_attach_tx_ingress(struct lag_maps *m, int ifindex, int *own_qdisc)
{
	return tc_attach(m, "tx", m->prog_tx, ifindex, 0, own_qdisc);
}

int links_detach_tc(struct lag_maps *m, int ifindex, int egress, int own_qdisc)
{
	int err = link_remove(m, egress ? "tx" : "rx", ifindex);

	return err == -ENOENT ? clsact_detach(ifindex, egress, own_qdisc) : err;
}

int links_tc_mode(const struct lag_maps *m, int ifindex, const char *kind, const char **mode)
{
	char path[512];
	int err = link_path(m, kind, ifindex, path, sizeof(path));

	if (err)
		return err;
	*mode = access(path, F_OK) == 0 ? "tcx" : "clsact";
	return 0;
}
