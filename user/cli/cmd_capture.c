// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* lagbpf capture LAG [MEMBER] [-w FILE] [-c COUNT]: every LACPDU and Marker
 * PDU the LAG's controller receives or sends, both directions, as pcapng
 * (one interface per member, named after it; each packet's direction in its
 * flags), to stdout or FILE. The controller makes the blocks; this writes
 * whole blocks only, so a capture stopped at any time is a readable file.
 * Why pcapng, not pcap with a Linux cooked (SLL2) header: the member's name
 * is in its interface block (tshark: frame.interface_name), the direction in
 * epb_flags, the frames stay the Ethernet frames on the wire (no pseudo
 * header before the LACP dissector), and a slow reader's losses have a
 * standard place (epb_dropcount); SLL2 would carry only an ifindex, which
 * means nothing outside the LAG's namespace. tshark reads it from a pipe.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli/cmd.h"
#include "conf/config.h"
#include "conf/names.h"
#include "sys/log.h"

#define CAP_BUF (64 * 1024)
#define BT_EPB	6u

static const char synopsis[] = "lagbpf [-n NS] capture LAG [MEMBER] [-w FILE] [-c COUNT]\n";

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = 1;
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return w < 0 ? -errno : -EIO;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int cmd_capture(int argc, char **argv)
{
	static const struct option lo[] = { { "write", required_argument, NULL, 'w' },
					    { "count", required_argument, NULL, 'c' },
					    { "help", no_argument, NULL, 'h' },
					    {} };
	char req[64], err[LAG_ERR_LEN], *end;
	static char prefix[64];
	static char buf[CAP_BUF];
	const char *file = NULL, *lag, *member;
	unsigned long count = 0, seen = 0;
	struct sigaction sa = { .sa_handler = on_signal };
	struct lag_paths p;
	size_t len = 0;
	int opt, fd, out = STDOUT_FILENO, ret = 0;

	while ((opt = getopt_long(argc, argv, "w:c:", lo, NULL)) != -1) {
		switch (opt) {
		case 'w':
			file = optarg;
			break;
		case 'c':
			errno = 0;
			count = strtoul(optarg, &end, 10);
			if (errno || !*optarg || *end || !count || optarg[0] == '-') {
				lag_err("capture: -c takes a count of PDUs, 1 or more: %s", optarg);
				return 2;
			}
			break;
		case 'h':
			return cmd_usage(1, synopsis);
		default:
			return cmd_usage(0, synopsis);
		}
	}
	if (optind >= argc || argc - optind > 2)
		return cmd_usage(0, synopsis);
	lag = argv[optind];
	member = argc - optind == 2 ? argv[optind + 1] : NULL;
	snprintf(prefix, sizeof(prefix), "capture %.32s", lag);
	lag_log_prefix = prefix;
	if (cmd_lag_paths(lag, &p))
		return 1;
	if (member && lag_ifname_check("member", member, err, sizeof(err))) {
		lag_err("%s", err);
		return 1;
	}
	if (!file && isatty(STDOUT_FILENO)) {
		lag_err("pcapng is binary: write it to a file (-w FILE) or a pipe (| tshark -r -)");
		return 2;
	}
	snprintf(req, sizeof(req), "capture%s%.16s", member ? " " : "", member ? member : "");
	fd = cmd_subscribe(p.sock, req, err, sizeof(err));
	if (fd < 0) {
		lag_err("%s", err);
		return 1;
	}
	if (file) {
		out = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (out < 0) {
			lag_err("cannot write %s: %s", file, strerror(errno));
			close(fd);
			return 1;
		}
	}
	signal(SIGPIPE, SIG_IGN);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	while (!stop && (!count || seen < count)) {
		ssize_t got = read(fd, buf + len, sizeof(buf) - len);
		size_t off = 0;

		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0) {
			lag_err("the controller of %s stopped", lag);
			ret = 1;
			break;
		}
		len += (size_t)got;
		/* Whole blocks: type, total length, ..., total length. */
		while (len - off >= 8 && (!count || seen < count)) {
			uint32_t type, total;

			memcpy(&type, buf + off, 4);
			memcpy(&total, buf + off + 4, 4);
			if (total < 12 || total % 4 || total > sizeof(buf)) {
				lag_err("unreadable stream from the controller (block of %u bytes)",
					total);
				ret = 1;
				stop = 1;
				break;
			}
			if (len - off < total)
				break;
			if (write_all(out, buf + off, total)) {
				stop = 1; /* the reader is gone */
				break;
			}
			seen += type == BT_EPB;
			off += total;
		}
		memmove(buf, buf + off, len - off);
		len -= off;
	}
	close(fd);
	if (file && close(out)) {
		lag_err("cannot write %s: %s", file, strerror(errno));
		ret = 1;
	}
	fprintf(stderr, "%lu PDUs captured\n", seen);
	return ret;
}
