// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Set a link down or up in a network namespace and print, on stdout, the
 * CLOCK_REALTIME nanoseconds just before the ioctl: the "cut" time that the
 * failover benchmark compares with the controller's log timestamps.
 * usage: linkcut NETNS IFNAME down|up
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

int main(int argc, char **argv)
{
	char path[256];
	struct ifreq ifr = { 0 };
	struct timespec ts;
	int nfd, s;

	if (argc != 4)
		return 2;
	snprintf(path, sizeof(path), "/var/run/netns/%s", argv[1]);
	nfd = open(path, O_RDONLY);
	if (nfd < 0 || setns(nfd, CLONE_NEWNET)) {
		perror("linkcut: setns");
		return 1;
	}
	s = socket(AF_INET, SOCK_DGRAM, 0);
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", argv[2]);
	if (s < 0 || ioctl(s, SIOCGIFFLAGS, &ifr)) {
		perror("linkcut: SIOCGIFFLAGS");
		return 1;
	}
	if (!strcmp(argv[3], "down"))
		ifr.ifr_flags &= ~IFF_UP;
	else
		ifr.ifr_flags |= IFF_UP;
	clock_gettime(CLOCK_REALTIME, &ts);
	if (ioctl(s, SIOCSIFFLAGS, &ifr)) {
		perror("linkcut: SIOCSIFFLAGS");
		return 1;
	}
	printf("%lld%09ld\n", (long long)ts.tv_sec, ts.tv_nsec);
	return 0;
}
