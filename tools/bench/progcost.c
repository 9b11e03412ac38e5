// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Per-packet cost of lagbpf's BPF programs: BPF_PROG_TEST_RUN with many
 * repeats over typical frames, each run paired with an empty program of the
 * same type (A/B alternation), one TSV row per run, for LAGs of several
 * member counts (each LAG its own copy of the programs and maps, loaded side
 * by side; every round visits them in a rotating order). The maps are
 * filled as the controller fills them, through user/sys/maps.c, into a
 * private pin folder /sys/fs/bpf/lagbpf-bench-progcost-PID-N (outside
 * /sys/fs/bpf/lagbpf: no `lagbpf show` lists it), removed at exit.
 * lag_tx of the first LAG also runs with the heartbeat never written
 * (rows "lag_tx_nohb"), to show what the dead-man check costs.
 * Benchmark only: touches no device, asserts nothing.
 * usage: progcost REPEAT ROUNDS MEMBERS...   (e.g. progcost 1000000 5 2 8 32 64)
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <arpa/inet.h>
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "lagbpf/abi.h"
#include "lacp/bucket.h"
#include "sys/maps.h"
#include "lag_rx.skel.h"
#include "lag_tx.skel.h"
#include "lag_xdp.skel.h"

/* Member 0 is lo: it exists in every namespace, and test runs of lag_rx and
 * lag_xdp need a real ingress device. The others are never touched (a test
 * run does not perform lag_tx's redirect): numbers past any real device.
 */
#define MEMBER_FIRST 1
#define MEMBER_FAKE  100000
#define MAX_LAGS     8

static unsigned char frame_buf[6][128];
static const char *const frame_name[] = { "ipv4_udp", "ipv6_tcp",  "vlan_ipv4_udp",
					  "arp",      "ipv4_frag", "lacpdu" };
static unsigned frame_len[6];

static unsigned char *eth(unsigned char *p, unsigned short proto)
{
	static const unsigned char dst[6] = { 0x02, 0, 0, 0, 0, 2 },
				   src[6] = { 0x02, 0, 0, 0, 0, 1 };

	memcpy(p, dst, 6);
	memcpy(p + 6, src, 6);
	p[12] = proto >> 8;
	p[13] = proto & 0xff;
	return p + 14;
}

static unsigned char *ip4(unsigned char *p, unsigned char proto, unsigned short frag, unsigned len)
{
	p[0] = 0x45;
	p[2] = len >> 8;
	p[3] = len & 0xff;
	p[6] = frag >> 8;
	p[7] = frag & 0xff;
	p[8] = 64;
	p[9] = proto;
	memcpy(p + 12, "\x0a\x50\x00\x01\x0a\x50\x00\x02", 8);
	return p + 20;
}

static unsigned char *ports(unsigned char *p)
{
	p[0] = 0x9c;
	p[1] = 0x40; /* 40000 */
	p[2] = 0x14;
	p[3] = 0x51; /* 5201 */
	return p;
}

static void build_frames(void)
{
	unsigned char *p;

	p = ip4(eth(frame_buf[0], ETH_P_IP), 17, 0, 46); /* 60-byte frame: 18 B payload */
	ports(p);
	p[5] = 26;
	frame_len[0] = 60;

	p = eth(frame_buf[1], ETH_P_IPV6);
	p[0] = 0x60;
	p[5] = 20;
	p[6] = 6;
	p[7] = 64;
	p[8] = 0xfd;
	p[23] = 1;
	p[24] = 0xfd;
	p[39] = 2;
	ports(p + 40);
	p[40 + 12] = 0x50;
	frame_len[1] = 14 + 40 + 20;

	p = eth(frame_buf[2], ETH_P_8021Q);
	p[0] = 0;
	p[1] = 10;
	p[2] = 0x08;
	p[3] = 0x00;
	p = ip4(p + 4, 17, 0, 46);
	ports(p);
	frame_len[2] = 64;

	p = eth(frame_buf[3], ETH_P_ARP);
	memcpy(p, "\x00\x01\x08\x00\x06\x04\x00\x01", 8);
	memcpy(p + 8, "\x02\x00\x00\x00\x00\x01\x0a\x50\x00\x01", 10);
	memcpy(p + 24, "\x0a\x50\x00\x02", 4);
	frame_len[3] = 60;

	p = ip4(eth(frame_buf[4], ETH_P_IP), 17, 0x2000 | 185, 46); /* MF, offset 1480 */
	frame_len[4] = 60;

	p = eth(frame_buf[5], 0x8809);
	memcpy(frame_buf[5], "\x01\x80\xc2\x00\x00\x02", 6);
	p[0] = 1;
	p[1] = 1;
	p[2] = 1;
	p[3] = 20;
	frame_len[5] = 124;
}

static int empty_prog(enum bpf_prog_type type, int ret)
{
	struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = ret },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	int fd = bpf_prog_load(type, "lag_empty", "GPL", insns, 2, NULL);

	if (fd < 0)
		fprintf(stderr, "progcost: cannot load empty program: %s\n", strerror(-fd));
	return fd;
}

/* One LAG of n members, as the controller leaves it with every member
 * distributing: config, members, the live table (the resilient table over
 * the members, as the controller computes it), a fresh heartbeat.
 */
struct lag {
	struct lag_maps m;
	char pin_dir[96];
	unsigned n;
	int loaded;
	int fd[3]; /* lag_tx, lag_rx, lag_xdp */
};

static struct lag lags[MAX_LAGS];
static unsigned n_lags;

static void unload_all(void)
{
	for (unsigned i = 0; i < n_lags; i++) {
		if (!lags[i].loaded)
			continue;
		maps_close(&lags[i].m);
		maps_unpin(lags[i].pin_dir);
		lags[i].loaded = 0;
	}
}

static void on_signal(int sig)
{
	(void)sig;
	unload_all();
	_exit(1);
}

static __u64 mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * 1000000000ull + (__u64)ts.tv_nsec;
}

/* A live heartbeat, as the controller writes it every tick (fast-rate
 * timeout): lag_tx then runs its dead-man check as in production, instead
 * of the never-refreshed (0) shortcut.
 */
static int heartbeat(struct lag *l)
{
	return maps_heartbeat_set(&l->m, mono_ns(), 3000000000ull);
}

/* Everything that depends on the counter maps' layout lives here. */
static int member_counters_init(struct lag *l, __u32 slot)
{
	return maps_cnt_init(&l->m, slot);
}

static int lag_fill(struct lag *l)
{
	static struct lag_table tbl;
	struct lag_cfg cfg = { .lag_ifindex = MEMBER_FIRST,
			       .peer_ifindex = MEMBER_FIRST,
			       .hash_policy = LAG_HASH_L34,
			       .hash_seed = 7 };
	__u32 ifx[LAG_MAX_MEMBERS];
	int err;

	err = maps_cfg_set(&l->m, &cfg);
	for (unsigned i = 0; i < l->n && !err; i++) {
		struct lag_member mb = { .slot = i,
					 .flags = LAG_M_COLLECTING | LAG_M_DISTRIBUTING,
					 .port_number = (__u16)(i + 1) };

		ifx[i] = mb.ifindex = i ? MEMBER_FAKE + i : MEMBER_FIRST;
		err = maps_member_put(&l->m, &mb);
		if (!err)
			err = member_counters_init(l, mb.slot);
	}
	if (err)
		return err;
	memset(&tbl, 0, sizeof(tbl));
	lag_buckets_rebalance(tbl.ifindex, ifx, l->n);
	tbl.n_members = l->n;
	/* Each bucket's member slot, as the controller writes it (slot i = ifx[i]). */
	for (unsigned b = 0; b < LAG_BUCKETS; b++)
		for (unsigned i = 0; i < l->n; i++)
			if (tbl.ifindex[b] == ifx[i])
				tbl.slot[b] = (__u8)i;
	err = maps_table_write(&l->m, LAG_TABLE_LIVE0, &tbl);
	if (!err)
		err = maps_active_set(&l->m, LAG_TABLE_LIVE0);
	if (!err)
		err = heartbeat(l);
	return err;
}

static int silent(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	(void)fmt;
	(void)ap;
	return 0;
}

static int lag_load(struct lag *l, unsigned n)
{
	int err;

	l->n = n;
	snprintf(l->pin_dir, sizeof(l->pin_dir), "/sys/fs/bpf/lagbpf-bench-progcost-%d-%u",
		 (int)getpid(), n);
	maps_unpin(l->pin_dir);
	if (mkdir(l->pin_dir, 0700) && errno != EEXIST) {
		fprintf(stderr, "progcost: mkdir %s: %s\n", l->pin_dir, strerror(errno));
		return -1;
	}
	libbpf_set_print(silent);
	err = maps_load(&l->m, l->pin_dir);
	libbpf_set_print(NULL);
	if (err) {
		fprintf(stderr, "progcost: load (%u members): %s\n", n, strerror(-err));
		maps_unpin(l->pin_dir);
		return -1;
	}
	l->loaded = 1;
	l->fd[0] = bpf_program__fd(((struct lag_tx *)l->m.skel_tx)->progs.lag_tx);
	l->fd[1] = bpf_program__fd(((struct lag_rx *)l->m.skel_rx)->progs.lag_rx);
	l->fd[2] = bpf_program__fd(((struct lag_xdp *)l->m.skel_xdp)->progs.lag_xdp);
	err = lag_fill(l);
	if (err)
		fprintf(stderr, "progcost: filling the maps (%u members): %s\n", n, strerror(-err));
	return err ? -1 : 0;
}

static int run(int fd, int is_xdp, int f, int repeat, __u32 *ns, __u32 *ret)
{
	struct xdp_md xctx = { .data_end = frame_len[f], .ingress_ifindex = MEMBER_FIRST };
	struct __sk_buff sctx = { .ifindex = MEMBER_FIRST };
	unsigned char out[256];
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = frame_buf[f], .data_size_in = frame_len[f],
		    .data_out = out, .data_size_out = sizeof(out), .repeat = repeat);
	int err;

	if (is_xdp) {
		o.ctx_in = &xctx;
		o.ctx_size_in = sizeof(xctx);
	} else {
		o.ctx_in = &sctx;
		o.ctx_size_in = sizeof(sctx);
	}
	err = bpf_prog_test_run_opts(fd, &o);
	if (err) {
		fprintf(stderr, "progcost: test run (%s): %s\n", frame_name[f], strerror(errno));
		return -1;
	}
	*ns = o.duration;
	*ret = o.retval;
	return 0;
}

int main(int argc, char **argv)
{
	static const char *const progs[] = { "lag_tx", "lag_rx", "lag_xdp" };
	struct sigaction sa = { .sa_handler = on_signal };
	int efd_tc, efd_xdp, repeat, rounds, rc = 1;

	if (argc < 4 || argc - 3 > MAX_LAGS) {
		fprintf(stderr, "usage: progcost REPEAT ROUNDS MEMBERS... (at most %d counts)\n",
			MAX_LAGS);
		return 2;
	}
	repeat = atoi(argv[1]);
	rounds = atoi(argv[2]);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	atexit(unload_all);
	build_frames();
	for (int a = 3; a < argc; a++) {
		int n = atoi(argv[a]);

		if (n < 1 || n > LAG_MAX_MEMBERS) {
			fprintf(stderr, "progcost: %s members: 1..%d\n", argv[a], LAG_MAX_MEMBERS);
			return 2;
		}
		if (lag_load(&lags[n_lags++], (unsigned)n))
			return 1;
	}
	efd_tc = empty_prog(BPF_PROG_TYPE_SCHED_CLS, 0);
	efd_xdp = empty_prog(BPF_PROG_TYPE_XDP, 2);
	if (efd_tc < 0 || efd_xdp < 0)
		return 1;
	printf("prog\tframe\tmembers\tround\tns\tempty_ns\tretval\n");
	/* The member counts innermost, so that what is compared (one program
	 * and frame at N and at 2) runs within a second, whatever else the
	 * machine does; each round starts at another count.
	 */
	for (int r = 0; r < rounds; r++)
		for (int f = 0; f < 6; f++)
			for (int i = 0; i < 3; i++)
				for (unsigned k = 0; k < n_lags; k++) {
					struct lag *l = &lags[(k + (unsigned)r) % n_lags];
					int x = i == 2, efd = x ? efd_xdp : efd_tc;
					__u32 ns, ens, ret, eret;

					if (heartbeat(l))
						goto out;
					/* A/B: alternate which one runs first */
					if (r & 1) {
						if (run(efd, x, f, repeat, &ens, &eret) ||
						    run(l->fd[i], x, f, repeat, &ns, &ret))
							goto out;
					} else {
						if (run(l->fd[i], x, f, repeat, &ns, &ret) ||
						    run(efd, x, f, repeat, &ens, &eret))
							goto out;
					}
					printf("%s\t%s\t%u\t%d\t%u\t%u\t%u\n", progs[i],
					       frame_name[f], l->n, r, ns, ens, ret);
					fflush(stdout);
					/* What the dead-man check costs: lag_tx of the
					 * first LAG once more with the heartbeat never
					 * written (0: the check's shortcut), right after.
					 */
					if (i == 0 && l == &lags[0]) {
						if (maps_heartbeat_set(&l->m, 0, 0) ||
						    run(l->fd[0], 0, f, repeat, &ns, &ret) ||
						    run(efd, 0, f, repeat, &ens, &eret))
							goto out;
						printf("lag_tx_nohb\t%s\t%u\t%d\t%u\t%u\t%u\n",
						       frame_name[f], l->n, r, ns, ens, ret);
					}
				}
	rc = 0;
out:
	unload_all();
	return rc;
}
