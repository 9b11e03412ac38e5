// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Flood a link with slow-protocol frames (EtherType 0x8809) at a given rate,
 * to see which rate lagbpf's controller sustains without losing its LACP
 * partner. Prints frames sent. Kinds:
 *   junk    (default) never a valid PDU: another group address, a unicast
 *           destination, illegal subtypes (0, 0xee), a cut LACPDU, LACPDUs
 *           whose version or TLVs are garbage;
 *   lacpdu  valid LACPDUs (version 1, every TLV right) from a spoofed system
 *           02:5f:00:00:00:01, ports 1 to 3 in turn.
 * usage: junkflood NETNS IFNAME PPS SECONDS [junk|lacpdu]   (PPS 0 = as fast as possible)
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <arpa/inet.h>
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <net/if.h>
#include <linux/if_packet.h>
#include <sys/socket.h>

#define N_KINDS	 6
#define FRAME	 124 /* a LACPDU with its Ethernet header */
#define BATCH	 24  /* a multiple of N_KINDS */
#define SPOOF_SA "\x02\x5f\x00\x00\x00\x01"

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/* Actor or Partner Information TLV (802.1AX-2014 6.4.2.3) at p. */
static void info_tlv(unsigned char *p, int type, const char *sys, int key, int port, int state)
{
	p[0] = (unsigned char)type;
	p[1] = 20;
	p[2] = 0x80; /* system priority 32768 */
	memcpy(p + 4, sys, 6);
	p[10] = (unsigned char)(key >> 8);
	p[11] = (unsigned char)key;
	p[12] = 0x80; /* port priority 32768 */
	p[14] = (unsigned char)(port >> 8);
	p[15] = (unsigned char)port;
	p[16] = (unsigned char)state;
}

static void lacpdu(unsigned char *f, int port)
{
	memset(f, 0, FRAME);
	memcpy(f, "\x01\x80\xc2\x00\x00\x02" SPOOF_SA "\x88\x09", 14);
	f[14] = 1; /* LACP */
	f[15] = 1; /* version */
	/* Active, short timeout, aggregatable, in sync, collecting, distributing */
	info_tlv(f + 16, 1, SPOOF_SA, 0x1234, port, 0x3f);
	info_tlv(f + 36, 2, "\0\0\0\0\0\0", 0, 0, 0);
	f[56] = 3; /* Collector Information */
	f[57] = 16;
	/* Terminator: type 0, length 0, then 50 reserved octets */
}

static void junk(unsigned char *f, int kind, size_t *len)
{
	*len = FRAME;
	for (unsigned j = 0; j < FRAME; j++)
		f[j] = (unsigned char)rand();
	memcpy(f, "\x01\x80\xc2\x00\x00\x02\x02\x6a\x75\x6e\x6b\x00\x88\x09", 14);
	switch (kind) {
	case 0:
		f[14] = 0; /* illegal subtype 0 */
		break;
	case 1:
		f[14] = 0xee; /* illegal subtype */
		break;
	case 2:
		f[14] = 1;
		f[15] = 0x7f; /* LACPDU, bad version */
		break;
	case 3:
		f[14] = 1;
		f[15] = 1;
		f[16] = 0xff; /* LACPDU, bad TLV type */
		break;
	case 4:
		f[5] = 0x03; /* another group address (01:80:c2:00:00:03) */
		f[14] = 1;
		break;
	default:
		f[14] = 1; /* a LACPDU cut to the Ethernet minimum */
		*len = 60;
		break;
	}
}

int main(int argc, char **argv)
{
	unsigned char fr[N_KINDS][FRAME];
	struct sockaddr_ll to = { .sll_family = AF_PACKET, .sll_halen = 6 };
	struct mmsghdr msg[BATCH];
	struct iovec iov[BATCH];
	size_t len[N_KINDS];
	char path[256];
	uint64_t start, end, sent = 0, pps;
	int nfd, s, spoof;

	if (argc != 5 && argc != 6)
		return 2;
	spoof = argc == 6 && !strcmp(argv[5], "lacpdu");
	if (argc == 6 && !spoof && strcmp(argv[5], "junk"))
		return 2;
	pps = strtoull(argv[3], NULL, 0);
	snprintf(path, sizeof(path), "/var/run/netns/%s", argv[1]);
	nfd = open(path, O_RDONLY);
	if (nfd < 0 || setns(nfd, CLONE_NEWNET)) {
		perror("junkflood: setns");
		return 1;
	}
	s = socket(AF_PACKET, SOCK_RAW, 0);
	to.sll_ifindex = (int)if_nametoindex(argv[2]);
	if (s < 0 || !to.sll_ifindex) {
		perror("junkflood: socket");
		return 1;
	}
	srand(42);
	for (int i = 0; i < N_KINDS; i++) {
		if (spoof) {
			lacpdu(fr[i], 1 + i % 3);
			len[i] = FRAME;
		} else {
			junk(fr[i], i, &len[i]);
		}
	}
	memcpy(to.sll_addr, fr[0], 6);
	memset(msg, 0, sizeof(msg));
	for (int b = 0; b < BATCH; b++) {
		iov[b].iov_base = fr[b % N_KINDS];
		iov[b].iov_len = len[b % N_KINDS];
		msg[b].msg_hdr.msg_name = &to;
		msg[b].msg_hdr.msg_namelen = sizeof(to);
		msg[b].msg_hdr.msg_iov = &iov[b];
		msg[b].msg_hdr.msg_iovlen = 1;
	}
	start = now_ns();
	end = start + strtoull(argv[4], NULL, 0) * 1000000000ull;
	for (uint64_t t = start; t < end; t = now_ns()) {
		int n;

		if (pps) {
			uint64_t due = (t - start) * pps / 1000000000ull;

			if (sent >= due) {
				struct timespec d = { 0, 50000 };

				nanosleep(&d, NULL);
				continue;
			}
		}
		n = sendmmsg(s, msg, BATCH, 0);
		if (n > 0)
			sent += (uint64_t)n;
	}
	printf("%llu\n", (unsigned long long)sent);
	return 0;
}
