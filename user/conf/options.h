/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The one option table: name, value type, range or words, default and help
 * of every LAG option. It drives `attach` and `set` parsing, their usage
 * text, and the daemon's validation of `set` requests. To add an option,
 * add a row (and its field in struct lag_config).
 */
#ifndef LAGBPF_CONF_OPTIONS_H
#define LAGBPF_CONF_OPTIONS_H

#include <stddef.h>
#include <stdio.h>
#include "conf/config.h"

enum lag_opt_type {
	LAG_OPT_FLAG,	   /* no value */
	LAG_OPT_UINT,	   /* a number in [min, max] */
	LAG_OPT_WORD,	   /* one of words[] */
	LAG_OPT_MAC,	   /* a unicast MAC address */
	LAG_OPT_PORT_PRIO, /* IF=N, N in [min, max] */
	LAG_OPT_ADDRPORT,  /* ADDR:PORT ([ADDR]:PORT for IPv6), or off */
};

enum lag_opt_scope {
	LAG_OPT_ATTACH = 1u << 0, /* given to attach */
	LAG_OPT_SET = 1u << 1,	  /* changeable at run time with set */
};

enum lag_opt_id {
	LAG_O_MODE,
	LAG_O_PASSIVE,
	LAG_O_RATE,
	LAG_O_HASH,
	LAG_O_HASH_SEED,
	LAG_O_MIN_LINKS,
	LAG_O_MAX_ACTIVE,
	LAG_O_SYSTEM_PRIORITY,
	LAG_O_PORT_PRIORITY,
	LAG_O_KEY,
	LAG_O_MAC,
	LAG_O_XDP_MODE,
	LAG_O_FOREGROUND,
	LAG_O_SYSTEM_ID,
	LAG_O_AGGREGATE_WAIT,
	LAG_O_FALLBACK,
	LAG_O_FALLBACK_TIMEOUT,
	LAG_O_MTU,
	LAG_O_SLOW_RATE,
	LAG_O_SLOW_BURST,
	LAG_O_TX_PATH,
	LAG_O_CARRIER_POLL,
	LAG_O_REBALANCE,
	LAG_O_METRICS_LISTEN,
	LAG_O__COUNT
};

struct lag_option {
	enum lag_opt_id id;
	const char *name; /* without the leading "--" */
	enum lag_opt_type type;
	unsigned int scope; /* enum lag_opt_scope bits */
	const char *metavar;
	unsigned long min, max;
	const char *const *words;
	int n_words;
	const char *def; /* default, as shown in the help */
	const char *help;
};

extern const struct lag_option lag_options[];
extern const int lag_n_options;

const struct lag_option *lag_option_find(const char *name, unsigned int scope);
/* Parse val (NULL for a flag) into c: 0, or -EINVAL with a one-line err. */
int lag_option_apply(struct lag_config *c, const struct lag_option *o, const char *val, char *err,
		     size_t len);
/* "[--rate slow|fast] [--min-links N] ..." for a usage line, wrapped at width. */
void lag_options_synopsis(FILE *out, unsigned int scope, const char *indent);
/* One line per option: name, value, default, help. */
void lag_options_help(FILE *out, unsigned int scope);

#endif
