/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Flow key and Bob Jenkins' lookup3 hash (jhash). No maps, no ctx: this header
 * is included by the BPF programs and by the userspace unit tests, so both
 * compute the very same bucket for a flow.
 */
#ifndef LAGBPF_HASH_BPF_H
#define LAGBPF_HASH_BPF_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#ifndef __always_inline
#define __always_inline inline __attribute__((always_inline))
#endif

/* What the hash policy picked out of a frame; unused fields stay zero. The
 * layout is a whole number of 32-bit words for lag_jhash_words().
 */
struct lag_flow {
	__u32 src[4]; /* IPv4 in src[0], IPv6 in all four; or MAC words for l2 */
	__u32 dst[4];
	__u16 sport;
	__u16 dport;
	__u16 proto; /* L4 protocol, or EtherType for l2 */
	__u16 vlan;
};
#define LAG_FLOW_WORDS (sizeof(struct lag_flow) / 4)
_Static_assert(sizeof(struct lag_flow) % 4 == 0, "flow key is hashed as words");

#define LAG_JHASH_INITVAL 0xdeadbeef

static __always_inline __u32 lag_rol32(__u32 w, unsigned s)
{
	return (w << s) | (w >> (32 - s));
}

/* clang-format off */ /* lookup3 as published, one round a line */
/* lookup3 mix() and final(), as in the published algorithm. */
#define LAG_JHASH_MIX(a, b, c) do {                       \
	a -= c; a ^= lag_rol32(c, 4);  c += b;             \
	b -= a; b ^= lag_rol32(a, 6);  a += c;             \
	c -= b; c ^= lag_rol32(b, 8);  b += a;             \
	a -= c; a ^= lag_rol32(c, 16); c += b;             \
	b -= a; b ^= lag_rol32(a, 19); a += c;             \
	c -= b; c ^= lag_rol32(b, 4);  b += a;             \
} while (0)

#define LAG_JHASH_FINAL(a, b, c) do {                     \
	c ^= b; c -= lag_rol32(b, 14);                     \
	a ^= c; a -= lag_rol32(c, 11);                     \
	b ^= a; b -= lag_rol32(a, 25);                     \
	c ^= b; c -= lag_rol32(b, 16);                     \
	a ^= c; a -= lag_rol32(c, 4);                      \
	b ^= a; b -= lag_rol32(a, 14);                     \
	c ^= b; c -= lag_rol32(b, 24);                     \
} while (0)
/* clang-format on */

/* Reading the key's __u16 fields as 32-bit words breaks C's aliasing rules:
 * without may_alias, gcc and clang at -O2 may hash stale words (userspace
 * and BPF then disagree on the member).
 */
typedef __u32 __attribute__((__may_alias__)) lag_flow_word;

/* jhash2 over the flow key: 10 words, a constant length the verifier likes. */
static __always_inline __u32 lag_flow_hash(const struct lag_flow *f, __u32 seed)
{
	const lag_flow_word *k = (const lag_flow_word *)f;
	__u32 a, b, c;

	_Static_assert(LAG_FLOW_WORDS == 10, "unrolled for 10 words");
	a = b = c = LAG_JHASH_INITVAL + (LAG_FLOW_WORDS << 2) + seed;
	a += k[0];
	b += k[1];
	c += k[2];
	LAG_JHASH_MIX(a, b, c);
	a += k[3];
	b += k[4];
	c += k[5];
	LAG_JHASH_MIX(a, b, c);
	a += k[6];
	b += k[7];
	c += k[8];
	LAG_JHASH_MIX(a, b, c);
	a += k[9];
	LAG_JHASH_FINAL(a, b, c);
	return c;
}

#endif
