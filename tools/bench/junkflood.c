// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Flood a link with junk slow-protocol frames (EtherType 0x8809) at a given
 * rate, to see which rate lagbpf's controller sustains without losing its
 * LACP partner. Junk: illegal subtypes (0, 11..255) and LACPDUs whose
 * version and TLVs are garbage; never a valid PDU. Prints frames sent.
 * usage: junkflood NETNS IFNAME PPS SECONDS    (PPS 0 = as fast as possible)
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

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	unsigned char fr[4][124];
	struct sockaddr_ll to = { .sll_family = AF_PACKET, .sll_halen = 6 };
	char path[256];
	uint64_t start, end, sent = 0, pps;
	int nfd, s;

	if (argc != 5)
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
	for (int i = 0; i < 4; i++) {
		for (unsigned j = 0; j < sizeof(fr[i]); j++)
			fr[i][j] = (unsigned char)rand();
		memcpy(fr[i], "\x01\x80\xc2\x00\x00\x02\x02\x6a\x75\x6e\x6b\x00\x88\x09", 14);
	}
	fr[0][14] = 0;	  /* illegal subtype 0 */
	fr[1][14] = 0xee; /* illegal subtype */
	fr[2][14] = 1;
	fr[2][15] = 0x7f; /* LACPDU, bad version */
	fr[3][14] = 1;
	fr[3][15] = 1;
	fr[3][16] = 0xff; /* LACPDU, bad TLV type */
	memcpy(to.sll_addr, fr[0], 6);
	start = now_ns();
	end = start + strtoull(argv[4], NULL, 0) * 1000000000ull;
	for (uint64_t t = start; t < end; t = now_ns()) {
		if (pps) {
			uint64_t due = (t - start) * pps / 1000000000ull;

			if (sent >= due) {
				struct timespec d = { 0, 50000 };

				nanosleep(&d, NULL);
				continue;
			}
		}
		for (int b = 0; b < 16; b++)
			if (sendto(s, fr[sent & 3], sizeof(fr[0]), 0, (struct sockaddr *)&to,
				   sizeof(to)) == (ssize_t)sizeof(fr[0]))
				sent++;
	}
	printf("%llu\n", (unsigned long long)sent);
	return 0;
}
