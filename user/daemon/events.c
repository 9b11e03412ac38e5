// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The event stream and the PDU capture: subscribers that asked "monitor" or
 * "capture" on the control socket keep their connection, and every event the
 * controller emits (or every slow-protocol frame it receives or sends) is
 * queued for each of them. It never blocks the loop: each subscriber has a
 * bounded queue (event/evq.h) and a small socket buffer; what does not fit is
 * dropped and counted, and the reader is told ("lost N events", or pcapng's
 * epb_dropcount) when it catches up. Calls only state.c (and reads the mode
 * table, as status.c does).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include "conf/names.h"
#include "daemon/mode.h"
#include "daemon/state.h"
#include "event/event.h"
#include "event/evq.h"
#include "event/pcapng.h"
#include "lacp/lacp.h"
#include "sys/clock.h"
#include "sys/ctl_socket.h"
#include "sys/log.h"

#define SUB_QUEUE   (64 * 1024) /* bytes queued per subscriber, beyond its socket */
#define SUB_SNDBUF  (16 * 1024) /* what the kernel holds for it (it doubles this) */
#define SUB_IFS	    (2 * LAG_MAX_MEMBERS)
#define EV_LINE_MAX 2048

enum sub_kind { SUB_TEXT, SUB_JSON, SUB_PCAPNG };

struct sub {
	int fd; /* -1: free */
	enum sub_kind kind;
	int only_ifindex; /* capture MEMBER: that member's frames only, else 0 */
	int out_watched;  /* EPOLLOUT is on: the queue waits for the socket */
	struct lag_evq q;
	int ifx[SUB_IFS]; /* pcapng interface id -> member ifindex */
	unsigned int n_if;
};

/* PDU errors of a member since the last summary, by enum lacpdu_reason. */
struct pdu_errors {
	int ifindex;
	uint64_t n[LACPDU_R__COUNT];
	uint64_t dp_base; /* data-path slow drops at the last summary */
	int dp_known;
};

struct ctrl_events {
	struct sub sub[CTRL_MAX_SUBS];
	unsigned int n_monitors, n_captures;
	const char *lag_state;			/* lagState last told */
	struct pdu_errors err[LAG_MAX_MEMBERS]; /* by member slot */
};

int ctrl_events_init(struct ctrl *c)
{
	c->events = calloc(1, sizeof(*c->events));
	if (!c->events)
		return -ENOMEM;
	for (int i = 0; i < CTRL_MAX_SUBS; i++)
		c->events->sub[i].fd = -1;
	return 0;
}

static void sub_close(struct ctrl *c, struct sub *s, const char *why)
{
	struct ctrl_events *ev = c->events;

	if (s->fd < 0)
		return;
	if (why)
		lag_log(LAG_LOG_DEBUG, "%s: %s subscriber dropped: %s\n", c->cfg.name,
			s->kind == SUB_PCAPNG ? "capture" : "monitor", why);
	ctrl_unwatch(c, s->fd);
	ctl_client_close(&(struct ctl_client){ .fd = s->fd });
	free(s->q.buf);
	if (s->kind == SUB_PCAPNG)
		ev->n_captures--;
	else
		ev->n_monitors--;
	memset(s, 0, sizeof(*s));
	s->fd = -1;
}

void ctrl_events_fini(struct ctrl *c)
{
	if (!c->events)
		return;
	for (int i = 0; i < CTRL_MAX_SUBS; i++)
		sub_close(c, &c->events->sub[i], NULL);
	free(c->events);
	c->events = NULL;
}

static uint64_t sub_tag(const struct ctrl *c, const struct sub *s)
{
	return CTRL_EP_SUB + (uint64_t)(s - c->events->sub);
}

/* The "lost N events" line of a monitor (pcapng says it in the next packet). */
static int sub_marker(struct ctrl *c, struct sub *s, char *buf, size_t cap)
{
	struct lag_event e;
	int n;

	if (!s->q.lost || s->kind == SUB_PCAPNG)
		return 0;
	ctrl_event_start(c, &e, LAG_EV_LOST, NULL);
	lag_event_int(&e, "events", (int64_t)s->q.lost);
	n = s->kind == SUB_JSON ? lag_event_json(&e, buf, cap) : lag_event_text(&e, buf, cap);
	return n < 0 ? 0 : n;
}

/* Write what the socket takes; watch for room while something is left. A
 * reader that lost events hears of it as soon as there is room: not only
 * before the next event, which may be long in coming.
 */
static void sub_flush(struct ctrl *c, struct sub *s)
{
	char marker[EV_LINE_MAX];
	size_t len;
	const void *p;
	int want_out, mlen;

again:
	while ((p = lag_evq_peek(&s->q, &len)) && len) {
		long n = ctl_stream_write(s->fd, p, len);

		if (n < 0) {
			sub_close(c, s, strerror((int)-n));
			return;
		}
		if (n == 0)
			break;
		lag_evq_consume(&s->q, (size_t)n);
	}
	mlen = sub_marker(c, s, marker, sizeof(marker));
	if (mlen > 0 && lag_evq_put(&s->q, marker, (size_t)mlen, NULL, 0) == 0)
		goto again;
	want_out = s->q.len > 0;
	if (want_out != s->out_watched) {
		int err = ctrl_watch_modify(c, s->fd, sub_tag(c, s),
					    EPOLLIN | EPOLLRDHUP | (want_out ? EPOLLOUT : 0));

		if (err) {
			sub_close(c, s, strerror(-err));
			return;
		}
		s->out_watched = want_out;
	}
}

/* A record for s, behind the marker of what it lost if it lost some. */
static void sub_put(struct ctrl *c, struct sub *s, const char *rec, size_t len)
{
	char marker[EV_LINE_MAX];
	int mlen = sub_marker(c, s, marker, sizeof(marker));

	if (lag_evq_put(&s->q, marker, (size_t)mlen, rec, len) == 0)
		sub_flush(c, s);
}

int ctrl_events_is_subscription(const char *req)
{
	return !strcmp(req, "monitor") || !strncmp(req, "monitor ", 8) || !strcmp(req, "capture") ||
	       !strncmp(req, "capture ", 8);
}

/* The pcapng interface id of member ifindex for s: its IDB goes out first
 * (into blk) the first time. -1 when s has no room for another interface.
 */
static int sub_if(struct ctrl *c, struct sub *s, const struct ctrl_member *mb, char *blk,
		  size_t cap, int *blen)
{
	char descr[96];

	*blen = 0;
	for (unsigned int i = 0; i < s->n_if; i++)
		if (s->ifx[i] == mb->ifindex)
			return (int)i;
	if (s->n_if >= SUB_IFS)
		return -1;
	snprintf(descr, sizeof(descr), "lagbpf LAG %s member %s (ifindex %d)", c->cfg.name,
		 mb->name, mb->ifindex);
	*blen = lag_pcapng_idb(blk, cap, mb->name, descr);
	if (*blen < 0)
		return -1;
	s->ifx[s->n_if] = mb->ifindex;
	return (int)s->n_if++;
}

int ctrl_events_subscribe(struct ctrl *c, int fd, const char *req, char *err, size_t len)
{
	struct ctrl_events *ev = c->events;
	const char *arg = strchr(req, ' ');
	struct sub *s = NULL;
	static const char ok[] = "{\"ok\":true}\n";
	char blk[512];
	int ret;

	for (int i = 0; i < CTRL_MAX_SUBS && !s; i++)
		if (ev->sub[i].fd < 0)
			s = &ev->sub[i];
	if (!s) {
		snprintf(err, len, "%d monitors and captures already: try again later",
			 CTRL_MAX_SUBS);
		return -EBUSY;
	}
	memset(s, 0, sizeof(*s));
	s->fd = -1;
	arg = arg ? arg + 1 : NULL;
	if (req[0] == 'm') {
		if (arg && strcmp(arg, "json")) {
			snprintf(err, len, "bad monitor request: %.64s", req);
			return -EINVAL;
		}
		s->kind = arg ? SUB_JSON : SUB_TEXT;
	} else {
		s->kind = SUB_PCAPNG;
		if (arg) {
			struct ctrl_member *mb;

			if (lag_ifname_check("member", arg, err, len))
				return -EINVAL;
			mb = ctrl_member_by_name(c, arg);
			if (!mb) {
				snprintf(err, len, "%s is not a member of %s", arg, c->cfg.name);
				return -ENOENT;
			}
			s->only_ifindex = mb->ifindex;
		}
	}
	s->q.buf = malloc(SUB_QUEUE);
	if (!s->q.buf) {
		snprintf(err, len, "out of memory");
		return -ENOMEM;
	}
	lag_evq_init(&s->q, s->q.buf, SUB_QUEUE);
	ret = ctl_stream_sndbuf(fd, SUB_SNDBUF);
	if (!ret)
		ret = ctrl_watch_modify(c, fd, sub_tag(c, s), EPOLLIN | EPOLLRDHUP);
	if (ret) {
		free(s->q.buf);
		s->q.buf = NULL;
		snprintf(err, len, "cannot subscribe: %s", strerror(-ret));
		return ret;
	}
	s->fd = fd;
	if (s->kind == SUB_PCAPNG)
		ev->n_captures++;
	else
		ev->n_monitors++;
	/* The answer line, then the stream; a capture starts with its section
	 * header and one interface per member it shows.
	 */
	ret = lag_evq_put(&s->q, NULL, 0, ok, sizeof(ok) - 1);
	if (s->kind == SUB_PCAPNG) {
		int n = lag_pcapng_shb(blk, sizeof(blk), "lagbpf capture");

		if (n > 0)
			ret |= lag_evq_put(&s->q, NULL, 0, blk, (size_t)n);
		for (int i = 0; i < c->n; i++) {
			if (s->only_ifindex && c->m[i].ifindex != s->only_ifindex)
				continue;
			if (sub_if(c, s, &c->m[i], blk, sizeof(blk), &n) >= 0 && n > 0)
				ret |= lag_evq_put(&s->q, NULL, 0, blk, (size_t)n);
		}
	}
	lag_log(LAG_LOG_INFO, "%s: %s subscriber %d joined\n", c->cfg.name,
		s->kind == SUB_PCAPNG ? "capture" : "monitor", (int)(s - ev->sub));
	if (ret)
		lag_log(LAG_LOG_WARN, "%s: subscriber's header did not fit\n", c->cfg.name);
	sub_flush(c, s);
	return 0;
}

void ctrl_events_io(struct ctrl *c, unsigned int i)
{
	struct sub *s;
	int err;

	if (!c->events || i >= CTRL_MAX_SUBS || c->events->sub[i].fd < 0)
		return;
	s = &c->events->sub[i];
	err = ctl_stream_drain(s->fd);
	if (err) {
		sub_close(c, s, err == -ECONNRESET ? NULL : strerror(-err));
		return;
	}
	sub_flush(c, s);
}

int ctrl_events_monitored(const struct ctrl *c)
{
	return c->events && c->events->n_monitors;
}

void ctrl_event_start(const struct ctrl *c, struct lag_event *e, int type,
		      const struct ctrl_member *mb)
{
	lag_event_init(e, (enum lag_event_type)type, clock_real_ns(), c->cfg.name,
		       mb ? mb->name : NULL);
}

void ctrl_event_emit(struct ctrl *c, const struct lag_event *e)
{
	char text[EV_LINE_MAX], json[EV_LINE_MAX];
	int n_text = -2, n_json = -2;

	if (!ctrl_events_monitored(c))
		return;
	for (int i = 0; i < CTRL_MAX_SUBS; i++) {
		struct sub *s = &c->events->sub[i];

		if (s->fd < 0 || s->kind == SUB_PCAPNG)
			continue;
		/* Rendered once per form, for every subscriber of that form. */
		if (s->kind == SUB_TEXT && n_text == -2)
			n_text = lag_event_text(e, text, sizeof(text));
		if (s->kind == SUB_JSON && n_json == -2)
			n_json = lag_event_json(e, json, sizeof(json));
		if (s->kind == SUB_TEXT && n_text > 0)
			sub_put(c, s, text, (size_t)n_text);
		else if (s->kind == SUB_JSON && n_json > 0)
			sub_put(c, s, json, (size_t)n_json);
	}
}

/* Why the LAG is in state: which of min-links, carrier or negotiation. */
static void lag_reason(struct ctrl *c, struct lag_event *e, const char *state)
{
	unsigned int need = c->cfg.min_links ? c->cfg.min_links : 1, able = 0, up = 0;

	for (int i = 0; i < c->n; i++) {
		able += !!c->mode->distributing(c, &c->m[i]);
		up += !!c->m[i].carrier;
	}
	lag_event_int(e, "distributing", c->available ? able : 0);
	lag_event_int(e, "minLinks", c->cfg.min_links);
	if (!strcmp(state, "available"))
		lag_event_str(e, "reason", NULL);
	else if (able > 0 && able < need)
		lag_event_str(e, "reason", "min-links");
	else if (up < need)
		lag_event_str(e, "reason", up ? "min-links" : "no-carrier");
	else
		lag_event_str(e, "reason", "negotiating");
}

void ctrl_events_sync(struct ctrl *c)
{
	struct ctrl_events *ev = c->events;
	struct lag_event e;
	const char *st;

	if (!ev)
		return;
	for (int i = 0; i < c->n; i++) {
		struct ctrl_member *mb = &c->m[i];

		st = ctrl_member_state(c, mb);
		if (mb->ev_state == st)
			continue;
		if (mb->ev_state && ctrl_events_monitored(c)) {
			ctrl_event_start(c, &e, LAG_EV_MEMBER, mb);
			lag_event_str(&e, "from", mb->ev_state);
			lag_event_str(&e, "to", st);
			lag_event_str(&e, "reason",
				      c->mode->reason ? c->mode->reason(c, mb)
				      : mb->carrier   ? NULL
						      : "port-down");
			ctrl_event_emit(c, &e);
		}
		mb->ev_state = st;
	}
	st = ctrl_lag_state(c);
	if (ev->lag_state != st) {
		if (ev->lag_state && ctrl_events_monitored(c)) {
			ctrl_event_start(c, &e, LAG_EV_LAG, NULL);
			lag_event_str(&e, "from", ev->lag_state);
			lag_event_str(&e, "to", st);
			lag_reason(c, &e, st);
			ctrl_event_emit(c, &e);
		}
		ev->lag_state = st;
	}
}

void ctrl_event_pdu(struct ctrl *c, const struct ctrl_member *mb, int out, const void *frame,
		    size_t len)
{
	struct ctrl_events *ev = c->events;
	uint64_t now;

	if (!ev || !ev->n_captures)
		return;
	now = clock_real_ns();
	for (int i = 0; i < CTRL_MAX_SUBS; i++) {
		struct sub *s = &ev->sub[i];
		char blk[EV_LINE_MAX];
		int id, n_idb, n;

		if (s->fd < 0 || s->kind != SUB_PCAPNG ||
		    (s->only_ifindex && s->only_ifindex != mb->ifindex))
			continue;
		id = sub_if(c, s, mb, blk, sizeof(blk), &n_idb);
		if (id < 0) {
			s->q.lost++;
			continue;
		}
		n = lag_pcapng_epb(blk + n_idb, sizeof(blk) - (size_t)n_idb, (uint32_t)id, now,
				   out ? LAG_PCAPNG_OUT : LAG_PCAPNG_IN, s->q.lost, frame, len);
		if (n < 0) {
			s->n_if -= !!n_idb;
			s->q.lost++;
			continue;
		}
		/* A new interface's IDB travels with its first packet, or not at all. */
		if (lag_evq_put(&s->q, NULL, 0, blk, (size_t)(n_idb + n)) == 0)
			sub_flush(c, s);
		else if (n_idb)
			s->n_if--;
	}
}

static struct pdu_errors *errors_of(struct ctrl *c, const struct ctrl_member *mb)
{
	struct pdu_errors *pe = &c->events->err[mb->slot % LAG_MAX_MEMBERS];

	if (pe->ifindex != mb->ifindex) {
		memset(pe, 0, sizeof(*pe));
		pe->ifindex = mb->ifindex;
	}
	return pe;
}

void ctrl_event_pdu_error(struct ctrl *c, const struct ctrl_member *mb, int reason)
{
	if (!c->events || reason < 0 || reason >= LACPDU_R__COUNT)
		return;
	errors_of(c, mb)->n[reason]++;
}

/* Slow-protocol frames the data path dropped on mb (bad destination, subtype,
 * length, policed, ring full): they never reach the controller.
 */
static int dp_drops(struct ctrl *c, const struct ctrl_member *mb, uint64_t *n)
{
	struct lag_counters k;

	if (maps_cnt_sum(&c->maps, (__u32)mb->ifindex, &k))
		return -1;
	*n = k.slow_bad_dst + k.slow_bad_subtype + k.slow_short + k.slow_policed + k.slow_dropped;
	return 0;
}

void ctrl_events_second(struct ctrl *c)
{
	if (!c->events)
		return;
	for (int i = 0; i < c->n; i++) {
		struct ctrl_member *mb = &c->m[i];
		struct pdu_errors *pe = errors_of(c, mb);
		uint64_t total = 0, top = 0, dp = 0, dp_delta = 0;
		char reasons[LAG_EVENT_STR_MAX] = "";
		int top_r = -1;
		size_t used = 0;
		struct lag_event e;

		if (!ctrl_events_monitored(c)) {
			memset(pe->n, 0, sizeof(pe->n));
			pe->dp_known = 0;
			continue;
		}
		if (dp_drops(c, mb, &dp) == 0) {
			dp_delta = pe->dp_known && dp >= pe->dp_base ? dp - pe->dp_base : 0;
			pe->dp_base = dp;
			pe->dp_known = 1;
		}
		for (int r = 0; r < LACPDU_R__COUNT; r++) {
			int w;

			if (!pe->n[r])
				continue;
			total += pe->n[r];
			if (pe->n[r] > top) {
				top = pe->n[r];
				top_r = r;
			}
			w = snprintf(reasons + used, sizeof(reasons) - used, "%s%s:%llu",
				     used ? "," : "", lacpdu_reason_name[r],
				     (unsigned long long)pe->n[r]);
			if (w > 0 && (size_t)w < sizeof(reasons) - used)
				used += (size_t)w;
		}
		memset(pe->n, 0, sizeof(pe->n));
		if (!total && !dp_delta)
			continue;
		ctrl_event_start(c, &e, LAG_EV_PDU_ERRORS, mb);
		lag_event_int(&e, "rejected", (int64_t)total);
		lag_event_str(&e, "reason", top_r >= 0 ? lacpdu_reason_name[top_r] : NULL);
		lag_event_str(&e, "reasons", used ? reasons : NULL);
		lag_event_int(&e, "dataPathDropped", (int64_t)dp_delta);
		lag_event_int(&e, "intervalMs", 1000);
		ctrl_event_emit(c, &e);
	}
}
