/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* One controller event (a member changed state, the table switched, ...) as a
 * list of named fields, and its two renderings: a text line for people and a
 * JSON line for scripts (docs/json.md, "lagbpf monitor -j"). Pure: no clock,
 * no I/O, no allocation; the daemon stamps the time and delivers the lines.
 */
#ifndef LAGBPF_EVENT_EVENT_H
#define LAGBPF_EVENT_EVENT_H

#include <stddef.h>
#include <stdint.h>

enum lag_event_type {
	LAG_EV_CARRIER,	   /* a member's carrier went up or down */
	LAG_EV_MEMBER,	   /* a member's connectionState changed (from, to, reason) */
	LAG_EV_LACP,	   /* an 802.1AX machine of a member moved (machine, from, to, event) */
	LAG_EV_PARTNER,	   /* the partner a member (or the LAG) hears changed */
	LAG_EV_LAG,	   /* the LAG's lagState changed (and min-links crossings) */
	LAG_EV_TABLE,	   /* the live selection table switched */
	LAG_EV_PDU_ERRORS, /* slow-protocol frames rejected in the last interval */
	LAG_EV_MEMBERSHIP, /* a member was added or removed */
	LAG_EV_LOST,	   /* this subscriber lost events: it read too slowly */
	LAG_EV_CONTROLLER, /* the LAG's controller stopped, started or restarted (said by the
			      monitor) */
	LAG_EV__COUNT
};
/* "carrier", "member", "lacp", "partner", "lag", "table", "pdu-errors", "membership", "lost",
 * "controller"
 */
extern const char *const lag_event_type_name[];

enum lag_event_kind { LAG_EVF_STR, LAG_EVF_INT, LAG_EVF_NULL, LAG_EVF_BOOL };

#define LAG_EVENT_FIELDS  12
#define LAG_EVENT_STR_MAX 64 /* a field's string value, NUL included */

struct lag_event_field {
	const char *key; /* a static word (camelCase in JSON) */
	enum lag_event_kind kind;
	char str[LAG_EVENT_STR_MAX];
	int64_t num; /* INT, BOOL */
};

struct lag_event {
	enum lag_event_type type;
	uint64_t time_ns; /* CLOCK_REALTIME, ns since the epoch */
	char lag[16];
	char member[16]; /* "" for the LAG as a whole */
	unsigned int n;
	struct lag_event_field f[LAG_EVENT_FIELDS];
};

/* Start an event; then add its fields in the order they should print. A field
 * past LAG_EVENT_FIELDS is ignored, a long string cut.
 */
void lag_event_init(struct lag_event *e, enum lag_event_type type, uint64_t time_ns,
		    const char *lag, const char *member);
void lag_event_str(struct lag_event *e, const char *key, const char *val); /* NULL: null */
void lag_event_int(struct lag_event *e, const char *key, int64_t val);
void lag_event_bool(struct lag_event *e, const char *key, int val);

/* Render into buf (NUL-terminated, newline included): the length, or -1 if
 * cap is too small.
 * Text: "2026-12-01T10:40:00.123456Z lag0 a0 member available -> pending reason no-partner";
 *   a "from" field followed by "to" prints as "FROM -> TO", other fields as "key value".
 * JSON: {"time":"...Z","timeNs":N,"lag":"lag0","event":"member","member":"a0",...}
 *   ("member" is null for the LAG as a whole).
 */
int lag_event_text(const struct lag_event *e, char *buf, size_t cap);
int lag_event_json(const struct lag_event *e, char *buf, size_t cap);

/* The time as "YYYY-MM-DDTHH:MM:SS.uuuuuuZ" (UTC) into buf (28 bytes at least). */
void lag_event_time(uint64_t time_ns, char *buf, size_t cap);

#endif
