// SPDX-License-Identifier: GPL-2.0
/*
 * Atomic table switches (DESIGN "Atomic updates"): one thread switches the selection
 * table between member sets A = {11,12,13,14} and B = {21,22,23} as the controller does
 * (write the table into the slot that is not live, then flip lag_active), tens of
 * thousands of times, while two runner threads, each pinned to its own CPU, push frames
 * of many flows through lag_tx with BPF_PROG_TEST_RUN. Each run must redirect (never
 * drop) to the member the flow's bucket holds in table A or in table B: never a member
 * of neither, never a mix. The member is read from the per-member tx counter in the
 * runner's own CPU slot (only that runner runs lag_tx on that CPU).
 * Needs root/CAP_BPF: without it the test skips and says why.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <time.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include "fixture.h"

#define SEED	     0xa70a1c
#define N_A	     4
#define N_B	     3
#define N_ALL	     (N_A + N_B)
#define N_FRAMES     1024
#define MIN_SWITCHES 50000
#define MIN_RUNS     50000 /* per runner */
#define DEADLINE_S   15.0

static struct fx F;
static const __u32 set_a[N_A] = { 11, 12, 13, 14 }, set_b[N_B] = { 21, 22, 23 };
static const __u32 all[N_ALL] = { 11, 12, 13, 14, 21, 22, 23 };
static struct lag_table tab_a, tab_b;

static struct frame frames[N_FRAMES];
static __u32 bucket_of[N_FRAMES];

static atomic_int stop;
static atomic_ulong switches;

struct runner {
	pthread_t th;
	int cpu;
	_Atomic unsigned long runs; /* read by the main thread while running */
	unsigned long on_a, on_b;
	unsigned long errors;
	char first_error[200];
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int group_setup(void **state)
{
	(void)state;
	if (fx_load(&F, "atomic"))
		return -1;
	if (F.skip_reason[0])
		print_message("skipping: %s\n", F.skip_reason);
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	fx_unload(&F);
	return 0;
}

/* IPv4/UDP frames of distinct flows, with the bucket userspace computes for each. */
static void make_frames(void)
{
	static const __u8 src[6] = { 0x02, 0, 0, 0, 0x0a, 1 }, dst[6] = { 0x02, 0, 0, 0, 0x0b, 2 };

	for (unsigned i = 0; i < N_FRAMES; i++) {
		__u32 s = 0x0a480000u | (i * 2654435761u >> 16), d = 0x0a490001u + (i & 15);
		__u16 sp = (__u16)(20000 + i), dp = (__u16)(i & 1 ? 443 : 53);
		struct frame *f = &frames[i];
		struct lag_flow k;

		fr_macs(f, dst, src);
		fr_u16(f, 0x0800);
		fr_ip4(f, 17, s, d, 0, 8 + 18);
		fr_udp(f, sp, dp, 18);
		fr_zero(f, 18);
		memset(&k, 0, sizeof(k));
		k.src[0] = htonl(s);
		k.dst[0] = htonl(d);
		k.proto = 17;
		k.sport = htons(sp);
		k.dport = htons(dp);
		bucket_of[i] = lag_flow_hash(&k, SEED) & (LAG_BUCKETS - 1);
	}
}

static void note_err(struct runner *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note_err(struct runner *r, const char *fmt, ...)
{
	va_list ap;

	if (!r->errors++) {
		va_start(ap, fmt);
		vsnprintf(r->first_error, sizeof(r->first_error), fmt, ap);
		va_end(ap);
	}
}

/* This CPU's tx_packets of every member. */
static int read_tx(int cpu, __u64 *out)
{
	for (unsigned m = 0; m < N_ALL; m++) {
		__u64 c[sizeof(struct lag_counters) / sizeof(__u64)];

		_Static_assert(offsetof(struct lag_counters, tx_packets) == 0, "c[0]");
		if (fx_percpu(F.m.cnt, fx_slot(all[m]), cpu, c, sizeof(c) / sizeof(*c)))
			return -1;
		out[m] = c[0]; /* tx_packets */
	}
	return 0;
}

static void *runner_main(void *arg)
{
	struct runner *r = arg;
	__u64 before[N_ALL], after[N_ALL];
	cpu_set_t cs;

	CPU_ZERO(&cs);
	CPU_SET(r->cpu, &cs);
	if (pthread_setaffinity_np(pthread_self(), sizeof(cs), &cs)) {
		note_err(r, "cannot pin to CPU %d", r->cpu);
		return NULL;
	}
	if (read_tx(r->cpu, before)) {
		note_err(r, "cannot read counters");
		return NULL;
	}
	for (unsigned long i = 0; !atomic_load(&stop); i++) {
		unsigned j = (unsigned)((i * 7 + (unsigned long)r->cpu * 501) % N_FRAMES);
		__u32 b = bucket_of[j], chosen = 0, moved = 0;
		LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = frames[j].b,
			    .data_size_in = frames[j].len, .repeat = 1);

		if (bpf_prog_test_run_opts(F.fd_tx, &o)) {
			note_err(r, "test_run: %s", strerror(errno));
			break;
		}
		r->runs++;
		if (read_tx(r->cpu, after)) {
			note_err(r, "cannot read counters");
			break;
		}
		for (unsigned m = 0; m < N_ALL; m++) {
			if (after[m] != before[m]) {
				moved += (__u32)(after[m] - before[m]);
				chosen = all[m];
			}
			before[m] = after[m];
		}
		if (o.retval != TC_ACT_REDIRECT || moved != 1) {
			note_err(r, "run %lu frame %u: retval %u, %u member counters moved",
				 r->runs, j, o.retval, moved);
			continue;
		}
		if (chosen == tab_a.ifindex[b])
			r->on_a++;
		else if (chosen == tab_b.ifindex[b])
			r->on_b++;
		else
			note_err(
				r,
				"run %lu frame %u bucket %u: member %u, table A says %u, B says %u",
				r->runs, j, b, chosen, tab_a.ifindex[b], tab_b.ifindex[b]);
	}
	return NULL;
}

/* The controller's switch: write into the slot that is not live, then flip. */
static void *switcher_main(void *arg)
{
	__u32 live = LAG_TABLE_LIVE0;
	int *err = arg;

	while (!atomic_load(&stop)) {
		__u32 next = live == LAG_TABLE_LIVE0 ? LAG_TABLE_LIVE1 : LAG_TABLE_LIVE0;
		const struct lag_table *t = atomic_load(&switches) % 2 ? &tab_a : &tab_b;

		if (maps_table_write(&F.m, next, t) || maps_active_set(&F.m, next)) {
			*err = -errno;
			break;
		}
		live = next;
		atomic_fetch_add(&switches, 1);
	}
	return NULL;
}

static void test_switch_under_traffic(void **state)
{
	struct lag_cfg cfg = { .lag_ifindex = 77, .hash_policy = LAG_HASH_L34, .hash_seed = SEED };
	struct runner r[2];
	struct lag_lag_counters lc;
	unsigned long runs = 0, on_a = 0, on_b = 0, errors = 0, tx_total = 0;
	int n_runners = 0, switch_err = 0;
	pthread_t sw;
	cpu_set_t cs;
	double t0;

	(void)state;
	if (F.skip_reason[0])
		skip();
	make_frames();
	memset(&tab_a, 0, sizeof(tab_a));
	memset(&tab_b, 0, sizeof(tab_b));
	lag_buckets_rebalance(tab_a.ifindex, set_a, N_A);
	tab_a.n_members = N_A;
	fx_table_slots(&tab_a);
	/* B as the controller derives it from the live table A. */
	memcpy(tab_b.ifindex, tab_a.ifindex, sizeof(tab_b.ifindex));
	lag_buckets_rebalance(tab_b.ifindex, set_b, N_B);
	tab_b.n_members = N_B;
	fx_table_slots(&tab_b);
	for (unsigned b = 0; b < LAG_BUCKETS; b++)
		assert_int_not_equal(tab_a.ifindex[b], tab_b.ifindex[b]); /* disjoint sets */

	assert_int_equal(maps_cfg_set(&F.m, &cfg), 0);
	for (unsigned m = 0; m < N_ALL; m++)
		assert_int_equal(maps_cnt_init(&F.m, fx_slot(all[m])), 0);
	assert_int_equal(fx_reset_lag_counters(&F), 0);
	assert_int_equal(maps_table_write(&F.m, LAG_TABLE_LIVE0, &tab_a), 0);
	assert_int_equal(maps_active_set(&F.m, LAG_TABLE_LIVE0), 0);

	/* One runner per allowed CPU, at most two; the switcher floats. */
	memset(r, 0, sizeof(r));
	assert_int_equal(sched_getaffinity(0, sizeof(cs), &cs), 0);
	for (int c = 0; c < CPU_SETSIZE && n_runners < 2; c++)
		if (CPU_ISSET(c, &cs))
			r[n_runners++].cpu = c;
	assert_true(n_runners >= 1);

	atomic_store(&stop, 0);
	atomic_store(&switches, 0);
	t0 = now_s();
	assert_int_equal(pthread_create(&sw, NULL, switcher_main, &switch_err), 0);
	for (int i = 0; i < n_runners; i++)
		assert_int_equal(pthread_create(&r[i].th, NULL, runner_main, &r[i]), 0);
	for (;;) {
		int done = atomic_load(&switches) >= MIN_SWITCHES;
		struct timespec ms = { 0, 20 * 1000 * 1000 };

		for (int i = 0; i < n_runners; i++)
			done &= r[i].runs >= MIN_RUNS || r[i].errors;
		if (done || switch_err || now_s() - t0 > DEADLINE_S)
			break;
		nanosleep(&ms, NULL);
	}
	atomic_store(&stop, 1);
	pthread_join(sw, NULL);
	for (int i = 0; i < n_runners; i++) {
		pthread_join(r[i].th, NULL);
		runs += r[i].runs;
		on_a += r[i].on_a;
		on_b += r[i].on_b;
		errors += r[i].errors;
		if (r[i].errors)
			print_message("runner on CPU %d: %lu errors, first: %s\n", r[i].cpu,
				      r[i].errors, r[i].first_error);
	}
	for (unsigned m = 0; m < N_ALL; m++) {
		struct lag_counters c;

		assert_int_equal(maps_cnt_sum(&F.m, fx_slot(all[m]), &c), 0);
		tx_total += c.tx_packets;
	}
	assert_int_equal(maps_cnt_lag_sum(&F.m, &lc), 0);
	print_message("%lu table switches, %lu runs on %d CPUs in %.1f s: %lu on A's member, %lu"
		      " on B's, %lu errors, tx_no_member %llu\n",
		      (unsigned long)switches, runs, n_runners, now_s() - t0, on_a, on_b, errors,
		      (unsigned long long)lc.tx_no_member);
	assert_int_equal(switch_err, 0);
	assert_int_equal(errors, 0);
	assert_int_equal(lc.tx_no_member, 0);
	assert_int_equal(tx_total, runs);
	assert_int_equal(on_a + on_b, runs);
	assert_true(atomic_load(&switches) >= MIN_SWITCHES / 4); /* noisy host: some slack */
	assert_true(runs >= 1000);
	/* The runners did see both tables. */
	assert_true(on_a > 0);
	assert_true(on_b > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_switch_under_traffic),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
