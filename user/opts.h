/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Option values: numbers in a range, words from a list, MAC addresses.
 * Each prints a one-line error naming the option and what it accepts.
 */
#ifndef LAGBPF_OPTS_H
#define LAGBPF_OPTS_H

#include <stdint.h>

int opt_uint(const char *opt, const char *val, unsigned long min, unsigned long max,
	     unsigned int *out);
/* Index of val in words[0..n-1]. */
int opt_word(const char *opt, const char *val, const char *const *words, int n, int *out);
int opt_mac(const char *opt, const char *val, uint8_t mac[6]);

#endif
