// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Unit tests for user/event/: the event lines of lagbpf monitor (text and
 * JSON, timestamps, escaping), the bounded subscriber queue (whole records,
 * lost counting, the marker, wrap-around) and the pcapng blocks of lagbpf
 * capture (lengths, padding, options).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <errno.h>
#include <string.h>
#include <cmocka.h>

#include "event/event.h"
#include "event/evq.h"
#include "event/pcapng.h"

#define T0 1796121962951902810ull /* 2026-12-01T10:46:02.951902810Z */

static void test_time(void **state)
{
	char b[32];

	lag_event_time(0, b, sizeof(b));
	assert_string_equal(b, "1970-01-01T00:00:00.000000Z");
	lag_event_time(951782400ull * 1000000000ull + 999999999ull, b, sizeof(b));
	assert_string_equal(b, "2000-02-29T00:00:00.999999Z"); /* a leap day of a leap century */
	lag_event_time(T0, b, sizeof(b));
	assert_string_equal(b, "2026-12-01T10:46:02.951902Z");
	lag_event_time(4107542399ull * 1000000000ull, b, sizeof(b));
	assert_string_equal(b, "2100-02-28T23:59:59.000000Z"); /* 2100 is not leap */
}

static void member_event(struct lag_event *e)
{
	lag_event_init(e, LAG_EV_MEMBER, T0, "lag0", "a0");
	lag_event_str(e, "from", "available");
	lag_event_str(e, "to", "down");
	lag_event_str(e, "reason", "port-down");
}

static void test_text(void **state)
{
	struct lag_event e;
	char b[512];
	int n;

	member_event(&e);
	n = lag_event_text(&e, b, sizeof(b));
	assert_string_equal(
		b,
		"2026-12-01T10:46:02.951902Z lag0 a0 member available -> down reason port-down\n");
	assert_int_equal(n, (int)strlen(b));
	/* LAG-wide, ints, null, bool */
	lag_event_init(&e, LAG_EV_TABLE, T0, "lag0", NULL);
	lag_event_int(&e, "from", 0);
	lag_event_int(&e, "to", 2);
	lag_event_int(&e, "bucketsMoved", 128);
	lag_event_str(&e, "reason", NULL);
	lag_event_bool(&e, "full", 1);
	lag_event_text(&e, b, sizeof(b));
	assert_string_equal(b, "2026-12-01T10:46:02.951902Z lag0 table 0 -> 2 bucketsMoved 128 "
			       "reason - full yes\n");
	/* a "from" without "to" is a plain field */
	lag_event_init(&e, LAG_EV_CARRIER, T0, "lag0", "a1");
	lag_event_str(&e, "from", "up");
	lag_event_text(&e, b, sizeof(b));
	assert_string_equal(b, "2026-12-01T10:46:02.951902Z lag0 a1 carrier from up\n");
	/* too small: -1, never a cut line */
	assert_int_equal(lag_event_text(&e, b, 20), -1);
	assert_int_equal(lag_event_text(&e, b, 0), -1);
}

static void test_json(void **state)
{
	struct lag_event e;
	char b[512];

	member_event(&e);
	lag_event_json(&e, b, sizeof(b));
	assert_string_equal(b, "{\"time\":\"2026-12-01T10:46:02.951902Z\",\"timeNs\":"
			       "1796121962951902810,\"lag\":\"lag0\",\"event\":\"member\","
			       "\"member\":\"a0\",\"from\":\"available\",\"to\":\"down\","
			       "\"reason\":\"port-down\"}\n");
	lag_event_init(&e, LAG_EV_LOST, 0, "lag0", "");
	lag_event_int(&e, "events", 42);
	lag_event_str(&e, "reason", NULL);
	lag_event_bool(&e, "ok", 0);
	lag_event_int(&e, "neg", -3);
	lag_event_json(&e, b, sizeof(b));
	assert_string_equal(b, "{\"time\":\"1970-01-01T00:00:00.000000Z\",\"timeNs\":0,\"lag\":"
			       "\"lag0\",\"event\":\"lost\",\"member\":null,\"events\":42,"
			       "\"reason\":null,\"ok\":false,\"neg\":-3}\n");
	/* escaping: quotes, backslashes, control characters */
	lag_event_init(&e, LAG_EV_LACP, 0, "lag0", "a0");
	lag_event_str(&e, "cause", "a \"b\"\\c\n\t");
	lag_event_json(&e, b, sizeof(b));
	assert_non_null(strstr(b, "\"cause\":\"a \\\"b\\\"\\\\c\\u000a\\u0009\"}"));
	assert_int_equal(lag_event_json(&e, b, 30), -1);
}

static void test_fields_bounded(void **state)
{
	struct lag_event e;
	char big[200];
	char b[2048];

	lag_event_init(&e, LAG_EV_LAG, 0, "lag0", NULL);
	for (int i = 0; i < LAG_EVENT_FIELDS + 5; i++)
		lag_event_int(&e, "k", i);
	assert_int_equal(e.n, LAG_EVENT_FIELDS);
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	lag_event_init(&e, LAG_EV_LAG, 0, "a-lag-name-longer-than-ifnamsiz", big);
	lag_event_str(&e, "v", big);
	assert_int_equal(strlen(e.f[0].str), LAG_EVENT_STR_MAX - 1);
	assert_int_equal(strlen(e.lag), sizeof(e.lag) - 1);
	assert_true(lag_event_json(&e, b, sizeof(b)) > 0);
}

static void test_evq(void **state)
{
	char buf[16], out[64];
	struct lag_evq q;
	const char *p;
	size_t len;

	lag_evq_init(&q, buf, sizeof(buf));
	p = lag_evq_peek(&q, &len);
	assert_int_equal(len, 0);
	assert_int_equal(lag_evq_put(&q, NULL, 0, "0123456789", 10), 0);
	/* whole records or nothing: 7 bytes do not fit in the 6 left */
	assert_int_equal(lag_evq_put(&q, NULL, 0, "abcdefg", 7), -ENOBUFS);
	assert_int_equal(lag_evq_put(&q, NULL, 0, "hijklmn", 7), -ENOBUFS);
	assert_int_equal(q.lost, 0 + 2);
	p = lag_evq_peek(&q, &len);
	assert_int_equal(len, 10);
	assert_memory_equal(p, "0123456789", 10);
	lag_evq_consume(&q, 8);
	/* the marker and the record go in together, and wrap around the end */
	assert_int_equal(lag_evq_put(&q, "L2;", 3, "abcdefghi", 9), 0);
	assert_int_equal(q.lost, 0);
	assert_int_equal(q.len, 14);
	len = 0;
	while (q.len) {
		size_t n;

		p = lag_evq_peek(&q, &n);
		assert_true(n > 0);
		memcpy(out + len, p, n);
		len += n;
		lag_evq_consume(&q, n);
	}
	assert_int_equal(len, 14);
	assert_memory_equal(out, "89L2;abcdefghi", 14);
	/* a record larger than the queue is lost, never split */
	assert_int_equal(lag_evq_put(&q, NULL, 0, "0123456789abcdefg", 17), -ENOBUFS);
	assert_int_equal(q.lost, 1);
	assert_int_equal(q.len, 0);
	/* consume past the end is clamped */
	lag_evq_put(&q, NULL, 0, "xy", 2);
	lag_evq_consume(&q, 100);
	assert_int_equal(q.len, 0);
	/* the marker alone, once there is room; refused, it loses nothing more */
	lag_evq_put(&q, NULL, 0, "0123456789abcd", 14);
	lag_evq_put(&q, NULL, 0, "xyz", 3);
	assert_int_equal(q.lost, 1);
	assert_int_equal(lag_evq_put(&q, "L1;", 3, NULL, 0), -ENOBUFS);
	assert_int_equal(q.lost, 1);
	lag_evq_consume(&q, 14);
	assert_int_equal(lag_evq_put(&q, "L1;", 3, NULL, 0), 0);
	assert_int_equal(q.lost, 0);
	p = lag_evq_peek(&q, &len);
	assert_int_equal(len, 3);
	assert_memory_equal(p, "L1;", 3);
	lag_evq_consume(&q, 3);
	/* an empty queue (no buffer) refuses everything */
	lag_evq_init(&q, NULL, 0);
	assert_int_equal(lag_evq_put(&q, NULL, 0, "x", 1), -ENOBUFS);
}

static uint32_t u32_at(const uint8_t *b, size_t off)
{
	uint32_t v;

	memcpy(&v, b + off, 4);
	return v;
}

static uint16_t u16_at(const uint8_t *b, size_t off)
{
	uint16_t v;

	memcpy(&v, b + off, 2);
	return v;
}

/* The option with code in a block's options from off: its offset, or 0. */
static size_t find_opt(const uint8_t *b, size_t off, size_t end, uint16_t code)
{
	while (off + 4 <= end) {
		uint16_t c = u16_at(b, off), l = u16_at(b, off + 2);

		if (c == code)
			return off;
		if (c == 0)
			return 0;
		off += 4 + ((l + 3u) & ~3u);
	}
	return 0;
}

static void test_pcapng(void **state)
{
	uint8_t b[512], frame[125];
	int n;
	size_t o;

	n = lag_pcapng_shb(b, sizeof(b), "lagbpf capture");
	assert_true(n > 0 && n % 4 == 0);
	assert_int_equal(u32_at(b, 0), 0x0A0D0D0Au);
	assert_int_equal(u32_at(b, 4), n);
	assert_int_equal(u32_at(b, (size_t)n - 4), n);
	assert_int_equal(u32_at(b, 8), 0x1A2B3C4Du);
	assert_int_equal(u16_at(b, 12), 1);
	o = find_opt(b, 24, (size_t)n - 4, 4);
	assert_true(o && u16_at(b, o + 2) == 14 && !memcmp(b + o + 4, "lagbpf capture", 14));

	n = lag_pcapng_idb(b, sizeof(b), "a0", "lagbpf LAG lag0 member a0");
	assert_true(n > 0 && n % 4 == 0);
	assert_int_equal(u32_at(b, 0), 1);
	assert_int_equal(u16_at(b, 8), 1); /* Ethernet */
	o = find_opt(b, 16, (size_t)n - 4, 2);
	assert_true(o && u16_at(b, o + 2) == 2 && !memcmp(b + o + 4, "a0", 2));
	o = find_opt(b, 16, (size_t)n - 4, 9);
	assert_true(o && u16_at(b, o + 2) == 1 && b[o + 4] == 9); /* nanoseconds */

	for (size_t i = 0; i < sizeof(frame); i++)
		frame[i] = (uint8_t)i;
	n = lag_pcapng_epb(b, sizeof(b), 3, T0, LAG_PCAPNG_OUT, 0, frame, sizeof(frame));
	assert_true(n > 0 && n % 4 == 0);
	assert_int_equal(u32_at(b, 0), 6);
	assert_int_equal(u32_at(b, 8), 3);
	assert_int_equal(((uint64_t)u32_at(b, 12) << 32) | u32_at(b, 16), T0);
	assert_int_equal(u32_at(b, 20), sizeof(frame));
	assert_int_equal(u32_at(b, 24), sizeof(frame));
	assert_memory_equal(b + 28, frame, sizeof(frame));
	assert_int_equal(b[28 + 125], 0); /* padding */
	o = find_opt(b, 28 + 128, (size_t)n - 4, 2);
	assert_true(o && u32_at(b, o + 4) == 2); /* outbound */
	assert_int_equal(find_opt(b, 28 + 128, (size_t)n - 4, 4), 0);
	assert_int_equal(u32_at(b, (size_t)n - 4), n);

	/* after losses: epb_dropcount and a comment */
	n = lag_pcapng_epb(b, sizeof(b), 0, T0, LAG_PCAPNG_IN, 7, frame, 124);
	o = find_opt(b, 28 + 124, (size_t)n - 4, 4);
	assert_true(o && u16_at(b, o + 2) == 8);
	{
		uint64_t d;

		memcpy(&d, b + o + 4, 8);
		assert_int_equal(d, 7);
	}
	assert_true(find_opt(b, 28 + 124, (size_t)n - 4, 1) != 0);
	/* too small: -1 */
	assert_int_equal(lag_pcapng_epb(b, 100, 0, T0, LAG_PCAPNG_IN, 0, frame, 124), -1);
	assert_int_equal(lag_pcapng_idb(b, 10, "a0", NULL), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_time), cmocka_unit_test(test_text),
		cmocka_unit_test(test_json), cmocka_unit_test(test_fields_bounded),
		cmocka_unit_test(test_evq),  cmocka_unit_test(test_pcapng),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
