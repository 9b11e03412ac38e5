// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* pcapng blocks (pcapng.h): a block is type, total length, body, options,
 * total length again; every part padded to 32 bits.
 */
#include <string.h>
#include "event/pcapng.h"

#define BT_SHB 0x0A0D0D0Au
#define BT_IDB 0x00000001u
#define BT_EPB 0x00000006u

#define OPT_END		  0
#define OPT_COMMENT	  1
#define SHB_USERAPPL	  4
#define IF_NAME		  2
#define IF_DESCRIPTION	  3
#define IF_TSRESOL	  9
#define EPB_FLAGS	  2
#define EPB_DROPCOUNT	  4
#define LINKTYPE_ETHERNET 1

struct blk {
	uint8_t *p;
	size_t cap, len;
	int full;
};

static size_t pad4(size_t n)
{
	return (n + 3) & ~(size_t)3;
}

static void raw(struct blk *b, const void *data, size_t n)
{
	size_t padded = pad4(n);

	if (b->full || padded > b->cap - b->len) {
		b->full = 1;
		return;
	}
	if (n)
		memcpy(b->p + b->len, data, n);
	memset(b->p + b->len + n, 0, padded - n);
	b->len += padded;
}

static void u32(struct blk *b, uint32_t v)
{
	raw(b, &v, 4);
}

static void u16x2(struct blk *b, uint16_t a, uint16_t c)
{
	uint16_t v[2] = { a, c };

	raw(b, v, 4);
}

static void opt(struct blk *b, uint16_t code, const void *val, size_t len)
{
	if (len > 0xffff) {
		b->full = 1;
		return;
	}
	u16x2(b, code, (uint16_t)len);
	raw(b, val, len);
}

static void begin(struct blk *b, void *buf, size_t cap, uint32_t type)
{
	*b = (struct blk){ buf, cap, 0, 0 };
	u32(b, type);
	u32(b, 0); /* total length, set by end() */
}

static int end(struct blk *b)
{
	uint32_t total;

	u32(b, 0); /* its place */
	if (b->full || b->len > UINT32_MAX)
		return -1;
	total = (uint32_t)b->len;
	memcpy(b->p + 4, &total, 4);
	memcpy(b->p + b->len - 4, &total, 4);
	return (int)b->len;
}

int lag_pcapng_shb(void *buf, size_t cap, const char *appl)
{
	struct blk b;
	int64_t section_len = -1; /* not given: we stream */

	begin(&b, buf, cap, BT_SHB);
	u32(&b, 0x1A2B3C4Du);
	u16x2(&b, 1, 0);
	raw(&b, &section_len, 8);
	if (appl)
		opt(&b, SHB_USERAPPL, appl, strlen(appl));
	opt(&b, OPT_END, NULL, 0);
	return end(&b);
}

int lag_pcapng_idb(void *buf, size_t cap, const char *name, const char *descr)
{
	struct blk b;
	uint8_t tsresol = 9; /* 10^-9 s */

	begin(&b, buf, cap, BT_IDB);
	u16x2(&b, LINKTYPE_ETHERNET, 0);
	u32(&b, 0); /* snaplen: no limit */
	if (name)
		opt(&b, IF_NAME, name, strlen(name));
	if (descr)
		opt(&b, IF_DESCRIPTION, descr, strlen(descr));
	opt(&b, IF_TSRESOL, &tsresol, 1);
	opt(&b, OPT_END, NULL, 0);
	return end(&b);
}

int lag_pcapng_epb(void *buf, size_t cap, uint32_t if_id, uint64_t time_ns, enum lag_pcapng_dir dir,
		   uint64_t dropped, const void *frame, size_t len)
{
	struct blk b;
	uint32_t flags = (uint32_t)dir;

	if (len > UINT32_MAX)
		return -1;
	begin(&b, buf, cap, BT_EPB);
	u32(&b, if_id);
	u32(&b, (uint32_t)(time_ns >> 32));
	u32(&b, (uint32_t)time_ns);
	u32(&b, (uint32_t)len);
	u32(&b, (uint32_t)len);
	raw(&b, frame, len);
	opt(&b, EPB_FLAGS, &flags, 4);
	if (dropped) {
		static const char why[] = "PDUs lost before this one: the capture read too slowly";

		opt(&b, EPB_DROPCOUNT, &dropped, 8);
		opt(&b, OPT_COMMENT, why, sizeof(why) - 1);
	}
	opt(&b, OPT_END, NULL, 0);
	return end(&b);
}
