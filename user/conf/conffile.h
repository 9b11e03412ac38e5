/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* /etc/lagbpf/LAG.conf: a LAG's configuration as a file, for `attach
 * --config` and the lagbpf@.service unit. systemd-networkd's [Bond] key
 * names where they overlap (MinLinks=, LACPTransmitRate=,
 * TransmitHashPolicy=, AdActorSystemPriority=), plus Members= and Mode=.
 * Pure: the caller reads the file.
 */
#ifndef LAGBPF_CONF_CONFFILE_H
#define LAGBPF_CONF_CONFFILE_H

#include <stddef.h>
#include "conf/config.h"

/* Apply text (the file's content) to c: 0, or -EINVAL with err naming the
 * file, line and key: unknown keys, sections and bad values are errors.
 */
int lag_conffile_parse(struct lag_config *c, const char *text, const char *fname, char *err,
		       size_t len);

/* c as a file lag_conffile_parse reads back to the same settings: the
 * length written, or -ENOSPC.
 */
int lag_conffile_format(const struct lag_config *c, char *buf, size_t len);

#endif
