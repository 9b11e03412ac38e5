// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Parsing and range-checking of option values; errors are one line. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "log.h"
#include "opts.h"

int opt_uint(const char *opt, const char *val, unsigned long min, unsigned long max,
	     unsigned int *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(val, &end, 0);
	if (errno || end == val || *end || val[0] == '-' || v < min || v > max) {
		lag_err("%s %s: expected a number from %lu to %lu", opt, val, min, max);
		return -EINVAL;
	}
	*out = (unsigned int)v;
	return 0;
}

int opt_word(const char *opt, const char *val, const char *const *words, int n, int *out)
{
	char list[256] = "";
	size_t len = 0;

	for (int i = 0; i < n; i++) {
		if (!strcmp(val, words[i])) {
			*out = i;
			return 0;
		}
		len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s", i ? ", " : "",
					words[i]);
		if (len >= sizeof(list))
			break;
	}
	lag_err("%s %s: expected one of %s", opt, val, list);
	return -EINVAL;
}

int opt_mac(const char *opt, const char *val, uint8_t mac[6])
{
	unsigned int b[6];
	char tail;

	if (sscanf(val, "%x:%x:%x:%x:%x:%x%c", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5], &tail) != 6)
		goto bad;
	for (int i = 0; i < 6; i++) {
		if (b[i] > 0xff)
			goto bad;
		mac[i] = (uint8_t)b[i];
	}
	if (mac[0] & 1) {
		lag_err("%s %s: a multicast address cannot be a LAG's MAC", opt, val);
		return -EINVAL;
	}
	if (!(mac[0] | mac[1] | mac[2] | mac[3] | mac[4] | mac[5]))
		goto bad;
	return 0;
bad:
	lag_err("%s %s: expected a unicast MAC address like 02:00:00:00:00:01", opt, val);
	return -EINVAL;
}
