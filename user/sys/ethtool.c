// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* ethtool ioctls: speed, RX queue count, carrier. I/O only. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <linux/if.h>
#include "sys/ethtool.h"

/* One socket for the process: the carrier poll runs every 10 ms per member.
 * It belongs to the namespace the process is in when first used.
 */
static int ethtool_ioctl(const char *ifname, void *cmd)
{
	static int fd = -1;
	struct ifreq ifr = {};

	if (fd < 0)
		fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	ifr.ifr_data = cmd;
	return ioctl(fd, SIOCETHTOOL, &ifr) ? -errno : 0;
}

unsigned int ethtool_speed(const char *ifname)
{
	struct ethtool_cmd ec = { .cmd = ETHTOOL_GSET };
	unsigned int speed;

	if (ethtool_ioctl(ifname, &ec))
		return 0;
	speed = ethtool_cmd_speed(&ec);
	return speed == (unsigned int)SPEED_UNKNOWN ? 0 : speed;
}

/* The RX queues in use: RX-only plus combined channels (GCHANNELS). A driver
 * without channel counts has one.
 */
int ethtool_rx_queues(const char *ifname)
{
	struct ethtool_channels ch = { .cmd = ETHTOOL_GCHANNELS };
	int err = ethtool_ioctl(ifname, &ch);

	if (err == -EOPNOTSUPP)
		return 1;
	if (err)
		return err;
	if (ch.rx_count + ch.combined_count == 0)
		return 1;
	return (int)(ch.rx_count + ch.combined_count);
}

int ethtool_carrier(const char *ifname)
{
	struct ethtool_value ev = { .cmd = ETHTOOL_GLINK };
	int ret = ethtool_ioctl(ifname, &ev);

	return ret ? ret : (int)ev.data;
}
