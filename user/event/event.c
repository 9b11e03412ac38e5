// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Events as fields, rendered as a text line or a JSON line (event.h). */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "event/event.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

const char *const lag_event_type_name[] = {
	[LAG_EV_CARRIER] = "carrier",
	[LAG_EV_MEMBER] = "member",
	[LAG_EV_LACP] = "lacp",
	[LAG_EV_PARTNER] = "partner",
	[LAG_EV_LAG] = "lag",
	[LAG_EV_TABLE] = "table",
	[LAG_EV_PDU_ERRORS] = "pdu-errors",
	[LAG_EV_MEMBERSHIP] = "membership",
	[LAG_EV_LOST] = "lost",
	[LAG_EV_CONTROLLER] = "controller",
};
_Static_assert(ARRAY_SIZE(lag_event_type_name) == LAG_EV__COUNT, "names");

void lag_event_init(struct lag_event *e, enum lag_event_type type, uint64_t time_ns,
		    const char *lag, const char *member)
{
	memset(e, 0, sizeof(*e));
	e->type = type;
	e->time_ns = time_ns;
	snprintf(e->lag, sizeof(e->lag), "%s", lag ? lag : "");
	snprintf(e->member, sizeof(e->member), "%s", member ? member : "");
}

static struct lag_event_field *field(struct lag_event *e, const char *key, enum lag_event_kind kind)
{
	struct lag_event_field *f;

	if (e->n >= LAG_EVENT_FIELDS)
		return NULL;
	f = &e->f[e->n++];
	f->key = key;
	f->kind = kind;
	return f;
}

void lag_event_str(struct lag_event *e, const char *key, const char *val)
{
	struct lag_event_field *f = field(e, key, val ? LAG_EVF_STR : LAG_EVF_NULL);

	if (f && val)
		snprintf(f->str, sizeof(f->str), "%s", val);
}

void lag_event_int(struct lag_event *e, const char *key, int64_t val)
{
	struct lag_event_field *f = field(e, key, LAG_EVF_INT);

	if (f)
		f->num = val;
}

void lag_event_bool(struct lag_event *e, const char *key, int val)
{
	struct lag_event_field *f = field(e, key, LAG_EVF_BOOL);

	if (f)
		f->num = !!val;
}

/* Days since 1970-01-01 to a civil date (proleptic Gregorian), in eras of
 * 400 years that start on March 1st, so the leap day is the era year's last.
 */
static void civil(int64_t days, int *y, unsigned int *m, unsigned int *d)
{
	int64_t z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned int doe = (unsigned int)(z - era * 146097);
	unsigned int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned int mp = (5 * doy + 2) / 153;

	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

void lag_event_time(uint64_t time_ns, char *buf, size_t cap)
{
	uint64_t sec = time_ns / 1000000000u, sod = sec % 86400;
	unsigned int m, d;
	int y;

	civil((int64_t)(sec / 86400), &y, &m, &d);
	snprintf(buf, cap, "%04d-%02u-%02uT%02u:%02u:%02u.%06uZ", y, m, d,
		 (unsigned int)(sod / 3600), (unsigned int)(sod / 60 % 60),
		 (unsigned int)(sod % 60), (unsigned int)(time_ns % 1000000000u / 1000));
}

/* An output buffer that remembers running out of room. */
struct out {
	char *buf;
	size_t cap, len;
	int full;
};

static void put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (o->full)
		return;
	va_start(ap, fmt);
	n = vsnprintf(o->buf + o->len, o->cap - o->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= o->cap - o->len)
		o->full = 1;
	else
		o->len += (size_t)n;
}

/* A JSON string: quotes, backslashes and control characters escaped. */
static void put_json_str(struct out *o, const char *s)
{
	put(o, "\"");
	for (; *s && !o->full; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\')
			put(o, "\\%c", ch);
		else if (ch < 0x20)
			put(o, "\\u%04x", ch);
		else
			put(o, "%c", ch);
	}
	put(o, "\"");
}

static int finish(struct out *o)
{
	put(o, "\n");
	return o->full ? -1 : (int)o->len;
}

int lag_event_text(const struct lag_event *e, char *buf, size_t cap)
{
	struct out o = { buf, cap, 0, cap == 0 };
	char ts[32];

	lag_event_time(e->time_ns, ts, sizeof(ts));
	put(&o, "%s %s%s%s %s", ts, e->lag, e->member[0] ? " " : "", e->member,
	    lag_event_type_name[e->type]);
	for (unsigned int i = 0; i < e->n; i++) {
		const struct lag_event_field *f = &e->f[i];
		int arrow = i > 0 && !strcmp(f->key, "to") && !strcmp(e->f[i - 1].key, "from");

		if (!arrow &&
		    !(!strcmp(f->key, "from") && i + 1 < e->n && !strcmp(e->f[i + 1].key, "to")))
			put(&o, " %s", f->key);
		put(&o, "%s", arrow ? " ->" : "");
		switch (f->kind) {
		case LAG_EVF_STR:
			put(&o, " %s", f->str);
			break;
		case LAG_EVF_INT:
			put(&o, " %" PRId64, f->num);
			break;
		case LAG_EVF_BOOL:
			put(&o, " %s", f->num ? "yes" : "no");
			break;
		case LAG_EVF_NULL:
			put(&o, " -");
			break;
		}
	}
	return finish(&o);
}

int lag_event_json(const struct lag_event *e, char *buf, size_t cap)
{
	struct out o = { buf, cap, 0, cap == 0 };
	char ts[32];

	lag_event_time(e->time_ns, ts, sizeof(ts));
	put(&o, "{\"time\":\"%s\",\"timeNs\":%" PRIu64 ",\"lag\":", ts, e->time_ns);
	put_json_str(&o, e->lag);
	put(&o, ",\"event\":\"%s\",\"member\":", lag_event_type_name[e->type]);
	if (e->member[0])
		put_json_str(&o, e->member);
	else
		put(&o, "null");
	for (unsigned int i = 0; i < e->n; i++) {
		const struct lag_event_field *f = &e->f[i];

		put(&o, ",");
		put_json_str(&o, f->key);
		put(&o, ":");
		switch (f->kind) {
		case LAG_EVF_STR:
			put_json_str(&o, f->str);
			break;
		case LAG_EVF_INT:
			put(&o, "%" PRId64, f->num);
			break;
		case LAG_EVF_BOOL:
			put(&o, "%s", f->num ? "true" : "false");
			break;
		case LAG_EVF_NULL:
			put(&o, "null");
			break;
		}
	}
	put(&o, "}");
	return finish(&o);
}
