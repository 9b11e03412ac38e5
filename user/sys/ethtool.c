// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* ethtool and netdevice ioctls: speed, RX queue count, carrier, the name
 * of an ifindex. I/O only.
 */
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
static int ioctl_fd(void)
{
	static int fd = -1;

	if (fd < 0)
		fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	return fd < 0 ? -errno : fd;
}

static int ethtool_ioctl(const char *ifname, void *cmd)
{
	struct ifreq ifr = {};
	int fd = ioctl_fd();

	if (fd < 0)
		return fd;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	ifr.ifr_data = cmd;
	return ioctl(fd, SIOCETHTOOL, &ifr) ? -errno : 0;
}

/* if_indextoname(3) without its socket per call (the carrier poll asks
 * every 10 ms per member: measured 2.4 % of a core at 8 members).
 */
int ethtool_ifname(int ifindex, char name[IF_NAMESIZE])
{
	struct ifreq ifr = { .ifr_ifindex = ifindex };
	int fd = ioctl_fd();

	if (fd < 0)
		return fd;
	if (ioctl(fd, SIOCGIFNAME, &ifr))
		return -errno;
	snprintf(name, IF_NAMESIZE, "%s", ifr.ifr_name);
	return 0;
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
