// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Per-packet cost of lagbpf's BPF programs: BPF_PROG_TEST_RUN with many
 * repeats over typical frames, each run paired with an empty program of the
 * same type (A/B alternation), one TSV row per run. Benchmark only: loads the
 * objects unpinned, touches no device, asserts nothing.
 * usage: progcost BPF_DIR REPEAT ROUNDS
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "lagbpf/abi.h"

#define MEMBER_A 1 /* lo: exists in every namespace, test runs need a device */
#define MEMBER_B 2

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

static struct bpf_object *open_obj(const char *dir, const char *name)
{
	char path[512];
	struct bpf_object *obj;
	struct bpf_map *map;
	int err;

	snprintf(path, sizeof(path), "%s/%s.bpf.o", dir, name);
	obj = bpf_object__open_file(path, NULL);
	if (!obj) {
		fprintf(stderr, "progcost: open %s: %s\n", path, strerror(errno));
		return NULL;
	}
	bpf_object__for_each_map(map, obj)
		bpf_map__set_pin_path(map, NULL); /* never pin: private maps */
	err = bpf_object__load(obj);
	if (err) {
		fprintf(stderr, "progcost: load %s: %s\n", path, strerror(-err));
		bpf_object__close(obj);
		return NULL;
	}
	return obj;
}

static int map_fd(struct bpf_object *obj, const char *name)
{
	struct bpf_map *m = bpf_object__find_map_by_name(obj, name);

	return m ? bpf_map__fd(m) : -1;
}

/* The state a LAG with two distributing members has. */
static int fill_maps(struct bpf_object *obj)
{
	static struct lag_table tbl;
	struct lag_cfg cfg = { .lag_ifindex = MEMBER_A,
			       .hash_policy = LAG_HASH_L34,
			       .hash_seed = 7 };
	struct lag_member m = { .slot = 0, .flags = LAG_M_COLLECTING | LAG_M_DISTRIBUTING };
	int ncpu = libbpf_num_possible_cpus();
	void *cnt = calloc(ncpu, sizeof(struct lag_counters));
	__u32 zero = 0, ifx[2] = { MEMBER_A, MEMBER_B };
	int err = 0;

	tbl.n_members = 2;
	for (unsigned b = 0; b < LAG_BUCKETS; b++)
		tbl.ifindex[b] = ifx[b & 1];
	err |= bpf_map_update_elem(map_fd(obj, "lag_cfg"), &zero, &cfg, 0);
	err |= bpf_map_update_elem(map_fd(obj, "lag_active"), &zero, &zero, 0);
	err |= bpf_map_update_elem(map_fd(obj, "lag_tables"), &zero, &tbl, 0);
	for (int i = 0; i < 2; i++) {
		m.ifindex = ifx[i];
		m.slot = i;
		err |= bpf_map_update_elem(map_fd(obj, "lag_members"), &ifx[i], &m, 0);
		err |= bpf_map_update_elem(map_fd(obj, "lag_cnt_member"), &ifx[i], cnt, 0);
	}
	free(cnt);
	return err ? -1 : 0;
}

static int run(int fd, int is_xdp, int f, int repeat, __u32 *ns, __u32 *ret)
{
	struct xdp_md xctx = { .data_end = frame_len[f], .ingress_ifindex = MEMBER_A };
	struct __sk_buff sctx = { .ifindex = MEMBER_A };
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
	struct bpf_object *obj[3];
	int fd[3], efd_tc, efd_xdp, repeat, rounds;

	if (argc != 4) {
		fprintf(stderr, "usage: progcost BPF_DIR REPEAT ROUNDS\n");
		return 2;
	}
	repeat = atoi(argv[2]);
	rounds = atoi(argv[3]);
	libbpf_set_print(NULL);
	build_frames();
	for (int i = 0; i < 3; i++) {
		obj[i] = open_obj(argv[1], progs[i]);
		if (!obj[i] || fill_maps(obj[i]))
			return 1;
		fd[i] = bpf_program__fd(bpf_object__find_program_by_name(obj[i], progs[i]));
	}
	efd_tc = empty_prog(BPF_PROG_TYPE_SCHED_CLS, 0);
	efd_xdp = empty_prog(BPF_PROG_TYPE_XDP, 2);
	if (efd_tc < 0 || efd_xdp < 0)
		return 1;
	printf("prog\tframe\tround\tns\tempty_ns\tretval\n");
	for (int r = 0; r < rounds; r++)
		for (int f = 0; f < 6; f++)
			for (int i = 0; i < 3; i++) {
				int x = i == 2, efd = x ? efd_xdp : efd_tc;
				__u32 ns, ens, ret, eret;

				/* A/B: alternate which one runs first */
				if (r & 1) {
					if (run(efd, x, f, repeat, &ens, &eret) ||
					    run(fd[i], x, f, repeat, &ns, &ret))
						return 1;
				} else {
					if (run(fd[i], x, f, repeat, &ns, &ret) ||
					    run(efd, x, f, repeat, &ens, &eret))
						return 1;
				}
				printf("%s\t%s\t%d\t%u\t%u\t%u\n", progs[i], frame_name[f], r, ns,
				       ens, ret);
				fflush(stdout);
			}
	return 0;
}
