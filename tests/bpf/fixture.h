/* SPDX-License-Identifier: GPL-2.0 */
/* Shared by the BPF_PROG_TEST_RUN tests: load the three programs with maps_load() into
 * a private pin folder on bpffs (removed at teardown), say why when that is not allowed,
 * build frames byte by byte, and read counters. Included by one test file each; no state
 * is shared between test binaries.
 */
#ifndef LAGBPF_TEST_FIXTURE_H
#define LAGBPF_TEST_FIXTURE_H

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <linux/magic.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/pkt_cls.h>

#include "sys/maps.h"
#include "lacp/bucket.h"
#include "hash.bpf.h"
#include "lag_tx.skel.h"
#include "lag_rx.skel.h"
#include "lag_xdp.skel.h"

struct fx {
	struct lag_maps m;
	char pin_dir[128];
	int loaded;
	int fd_tx, fd_rx, fd_xdp;
	char skip_reason[256]; /* non-empty: every test skips with this */
};

static int fx_silent(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	(void)fmt;
	(void)ap;
	return 0;
}

/* bpffs on /sys/fs/bpf (mounted if missing), then the programs and a pin folder
 * /sys/fs/bpf/lagbpf-test-NAME-PID, outside /sys/fs/bpf/lagbpf so that no `lagbpf
 * show` ever lists it. Returns 0 also when the tests must skip (fx->skip_reason).
 */
static inline int fx_load(struct fx *fx, const char *name)
{
	struct statfs st;
	int err;

	memset(fx, 0, sizeof(*fx));
	fx->fd_tx = fx->fd_rx = fx->fd_xdp = -1;
	if (statfs("/sys/fs/bpf", &st) || st.f_type != BPF_FS_MAGIC) {
		if (mount("bpf", "/sys/fs/bpf", "bpf", 0, "mode=0700")) {
			snprintf(fx->skip_reason, sizeof(fx->skip_reason),
				 "no bpffs on /sys/fs/bpf and cannot mount it: %s",
				 strerror(errno));
			return 0;
		}
	}
	snprintf(fx->pin_dir, sizeof(fx->pin_dir), "/sys/fs/bpf/lagbpf-test-%s-%d", name,
		 (int)getpid());
	maps_unpin(fx->pin_dir); /* a stale folder of a dead process with our pid */
	if (mkdir(fx->pin_dir, 0700) && errno != EEXIST) {
		snprintf(fx->skip_reason, sizeof(fx->skip_reason), "cannot create %s: %s%s",
			 fx->pin_dir, strerror(errno),
			 errno == EACCES || errno == EPERM ? " (needs root / CAP_BPF)" : "");
		return 0;
	}
	libbpf_set_print(fx_silent);
	err = maps_load(&fx->m, fx->pin_dir);
	libbpf_set_print(NULL);
	if (err) {
		maps_unpin(fx->pin_dir);
		if (err == -EPERM || err == -EACCES) {
			snprintf(fx->skip_reason, sizeof(fx->skip_reason),
				 "loading the BPF programs: %s (needs root / CAP_BPF)",
				 strerror(-err));
			return 0;
		}
		fprintf(stderr, "maps_load(%s): %s\n", fx->pin_dir, strerror(-err));
		return -1;
	}
	fx->loaded = 1;
	fx->fd_tx = bpf_program__fd(((struct lag_tx *)fx->m.skel_tx)->progs.lag_tx);
	fx->fd_rx = bpf_program__fd(((struct lag_rx *)fx->m.skel_rx)->progs.lag_rx);
	fx->fd_xdp = bpf_program__fd(((struct lag_xdp *)fx->m.skel_xdp)->progs.lag_xdp);
	return 0;
}

static inline void fx_unload(struct fx *fx)
{
	if (!fx->loaded)
		return;
	maps_close(&fx->m);
	if (maps_unpin(fx->pin_dir))
		fprintf(stderr, "cannot remove %s: %s\n", fx->pin_dir, strerror(errno));
	fx->loaded = 0;
}

/* The member slot (counter key) the tests give a fake member's ifindex:
 * loopback 3, the others apart from it and from each other.
 */
static inline __u32 fx_slot(__u32 ifindex)
{
	return ifindex == 1 ? 3 : 8 + ifindex % 32;
}

/* Each bucket's member slot, as the controller fills it. */
static inline void fx_table_slots(struct lag_table *t)
{
	for (unsigned b = 0; b < LAG_BUCKETS; b++)
		t->slot[b] = t->ifindex[b] ? (__u8)fx_slot(t->ifindex[b]) : 0;
}

/* A table slot as the controller writes it: the resilient table over members. */
static inline int fx_table(struct fx *fx, __u32 slot, const __u32 *members, unsigned n,
			   struct lag_table *out)
{
	memset(out, 0, sizeof(*out));
	lag_buckets_rebalance(out->ifindex, members, n);
	out->n_members = n;
	fx_table_slots(out);
	return maps_table_write(&fx->m, slot, out);
}

static inline int fx_reset_lag_counters(struct fx *fx)
{
	int n = libbpf_num_possible_cpus();
	struct lag_lag_counters z[n > 0 ? n : 1];
	__u32 zero = 0;

	memset(z, 0, sizeof(z));
	return bpf_map_update_elem(fx->m.cnt_lag, &zero, z, BPF_ANY) ? -errno : 0;
}

/* ---- frames, built front to back in network byte order ---- */

struct frame {
	__u8 b[512];
	unsigned len;
};

static inline void fr_put(struct frame *f, const void *p, unsigned n)
{
	memcpy(f->b + f->len, p, n);
	f->len += n;
}

static inline void fr_u8(struct frame *f, __u8 v)
{
	f->b[f->len++] = v;
}

static inline void fr_u16(struct frame *f, __u16 v)
{
	fr_u8(f, (__u8)(v >> 8));
	fr_u8(f, (__u8)v);
}

static inline void fr_u32(struct frame *f, __u32 v)
{
	fr_u16(f, (__u16)(v >> 16));
	fr_u16(f, (__u16)v);
}

static inline void fr_zero(struct frame *f, unsigned n)
{
	memset(f->b + f->len, 0, n);
	f->len += n;
}

/* Destination and source MAC; the EtherType (or a VLAN TPID) follows. */
static inline void fr_macs(struct frame *f, const __u8 *dst, const __u8 *src)
{
	f->len = 0;
	fr_put(f, dst, 6);
	fr_put(f, src, 6);
}

static inline void fr_vlan(struct frame *f, __u16 tpid, __u16 vid)
{
	fr_u16(f, tpid);
	fr_u16(f, vid);
}

/* IPv4 header without options; addresses in host order. tot_len is not checked by the
 * parser; it is set for the rest of the frame as built so far plus `payload`.
 */
static inline void fr_ip4(struct frame *f, __u8 proto, __u32 saddr, __u32 daddr, __u16 frag,
			  unsigned payload)
{
	fr_u8(f, 0x45);
	fr_u8(f, 0);
	fr_u16(f, (__u16)(20 + payload));
	fr_u16(f, 0x1234); /* id */
	fr_u16(f, frag);   /* flags (MF = 0x2000) and offset in 8-byte units */
	fr_u8(f, 64);
	fr_u8(f, proto);
	fr_u16(f, 0);
	fr_u32(f, saddr);
	fr_u32(f, daddr);
}

static inline void fr_ip6(struct frame *f, __u8 nexthdr, const __u8 *saddr, const __u8 *daddr,
			  unsigned payload)
{
	fr_u32(f, 0x60000000);
	fr_u16(f, (__u16)payload);
	fr_u8(f, nexthdr);
	fr_u8(f, 64);
	fr_put(f, saddr, 16);
	fr_put(f, daddr, 16);
}

static inline void fr_udp(struct frame *f, __u16 sport, __u16 dport, unsigned payload)
{
	fr_u16(f, sport);
	fr_u16(f, dport);
	fr_u16(f, (__u16)(8 + payload));
	fr_u16(f, 0);
}

static inline void fr_tcp(struct frame *f, __u16 sport, __u16 dport)
{
	fr_u16(f, sport);
	fr_u16(f, dport);
	fr_u32(f, 1000); /* seq */
	fr_u32(f, 0);
	fr_u16(f, 0x5010); /* data offset 5, ACK */
	fr_u16(f, 65535);
	fr_u32(f, 0);
}

/* Per-CPU u64 counters of one key, for one CPU (cpu >= 0) or summed (cpu < 0). */
static inline int fx_percpu(int fd, __u32 key, int cpu, __u64 *out, unsigned words)
{
	int n = libbpf_num_possible_cpus();
	__u64 v[(n > 0 ? n : 1) * words];

	memset(out, 0, words * sizeof(*out));
	if (n <= 0 || bpf_map_lookup_elem(fd, &key, v))
		return -errno;
	for (int c = 0; c < n; c++)
		if (cpu < 0 || c == cpu)
			for (unsigned w = 0; w < words; w++)
				out[w] += v[c * words + w];
	return 0;
}

#endif
