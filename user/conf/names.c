// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Name rules. Pure: no lookups, only the characters of the name. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "conf/config.h"
#include "conf/names.h"

static const char *ifname_flaw(const char *name)
{
	if (!name[0])
		return "is empty";
	if (strlen(name) >= IF_NAMESIZE)
		return "is longer than 15 characters";
	if (!strcmp(name, ".") || !strcmp(name, ".."))
		return "is not a valid interface name";
	for (const char *c = name; *c; c++) {
		if (*c == '/' || *c == ':' || *c == ' ' || (*c >= '\t' && *c <= '\r'))
			return "holds '/', ':' or a space";
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			return "holds a control character";
	}
	return NULL;
}

int lag_ifname_check(const char *what, const char *name, char *err, size_t len)
{
	const char *flaw = ifname_flaw(name);

	if (!flaw)
		return 0;
	snprintf(err, len, "%s '%.32s' %s", what, name, flaw);
	return -EINVAL;
}

int lag_name_check(const char *name, char *err, size_t len)
{
	int ret = lag_ifname_check("LAG name", name, err, len);

	if (ret)
		return ret;
	if (strlen(name) > LAG_NAME_MAX) {
		snprintf(err, len, "LAG name %s is too long (at most %d characters)", name,
			 LAG_NAME_MAX);
		return -EINVAL;
	}
	if (!strcmp(name, LAG_NAME_RESERVED)) {
		snprintf(err, len, "LAG name %s is reserved (lagbpf keeps namespaces there)", name);
		return -EINVAL;
	}
	return 0;
}

int lag_netns_name_check(const char *name, char *err, size_t len)
{
	const char *flaw = NULL;

	if (!name[0])
		flaw = "is empty";
	else if (strlen(name) > LAG_NETNS_NAME_MAX)
		flaw = "is too long";
	else if (!strcmp(name, ".") || !strcmp(name, "..") || strchr(name, '/'))
		flaw = "is not valid (no '/', not . or ..)";
	for (const char *c = name; !flaw && *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			flaw = "holds a control character";
	if (!flaw)
		return 0;
	snprintf(err, len, "namespace name '%.32s' %s", name, flaw);
	return -EINVAL;
}
