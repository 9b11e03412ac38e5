// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Skeletons, maps and their pins. Everything of a LAG is pinned in its
 * folder: the maps (by name), the programs (prog_*) and, from links.c, the
 * bpf_links that attach them (link_*). The folder's lag_abi says which
 * layout its pins have.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/if_link.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "lag_xdp.skel.h"
#include "lag_tx.skel.h"
#include "lag_rx.skel.h"
#include "sys/log.h"
#include "sys/maps.h"

#define STR_(x) #x
#define STR(x)	STR_(x)

static const char *const map_names[] = {
	STR(LAG_MAP_CFG),    STR(LAG_MAP_ACTIVE),  STR(LAG_MAP_TABLES),	   STR(LAG_MAP_MEMBERS),
	STR(LAG_MAP_CNT),    STR(LAG_MAP_CNT_LAG), STR(LAG_MAP_XSKS),	   STR(LAG_MAP_LACP),
	STR(LAG_MAP_POLICE), STR(LAG_MAP_SLOW),	   STR(LAG_MAP_HEARTBEAT), STR(LAG_MAP_ABI),
	STR(LAG_MAP_LOAD),
};

/* The programs' pins, in the order of struct lag_maps' prog_* fds. */
static const char *const prog_pins[] = { "prog_lag_xdp", "prog_lag_tx", "prog_lag_rx" };

static int *map_fd_slot(struct lag_maps *m, int i)
{
	int *slots[] = { &m->cfg,	&m->active, &m->tables, &m->members, &m->cnt,
			 &m->cnt_lag,	&m->xsks,   &m->lacp,	&m->police,  &m->slow,
			 &m->heartbeat, &m->abi,    &m->load };

	_Static_assert(sizeof(slots) / sizeof(*slots) == sizeof(map_names) / sizeof(*map_names),
		       "one fd per map name");

	return slots[i];
}

#define N_MAPS ((int)(sizeof(map_names) / sizeof(*map_names)))

static void maps_reset(struct lag_maps *m)
{
	memset(m, 0, sizeof(*m));
	for (int i = 0; i < N_MAPS; i++)
		*map_fd_slot(m, i) = -1;
	m->prog_xdp = m->prog_tx = m->prog_rx = -1;
}

static void maps_close_fds(struct lag_maps *m)
{
	int *progs[] = { &m->prog_xdp, &m->prog_tx, &m->prog_rx };

	for (int i = 0; i < N_MAPS; i++) {
		if (*map_fd_slot(m, i) >= 0)
			close(*map_fd_slot(m, i));
		*map_fd_slot(m, i) = -1;
	}
	for (size_t i = 0; i < sizeof(progs) / sizeof(*progs); i++) {
		if (*progs[i] >= 0)
			close(*progs[i]);
		*progs[i] = -1;
	}
}

/* One pin of pin_dir into *fd. */
static int pin_open(const char *pin_dir, const char *name, int *fd)
{
	char path[512];

	if (snprintf(path, sizeof(path), "%s/%s", pin_dir, name) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	*fd = bpf_obj_get(path);
	return *fd < 0 ? -errno : 0;
}

static int maps_open_fds(struct lag_maps *m, const char *pin_dir)
{
	int *progs[] = { &m->prog_xdp, &m->prog_tx, &m->prog_rx };
	int err = 0;

	if (snprintf(m->pin_dir, sizeof(m->pin_dir), "%s", pin_dir) >= (int)sizeof(m->pin_dir))
		return -ENAMETOOLONG;
	for (int i = 0; i < N_MAPS && !err; i++)
		err = pin_open(pin_dir, map_names[i], map_fd_slot(m, i));
	for (size_t i = 0; i < sizeof(progs) / sizeof(*progs) && !err; i++)
		if (*progs[i] < 0)
			err = pin_open(pin_dir, prog_pins[i], progs[i]);
	if (err)
		maps_close_fds(m);
	return err;
}

int maps_pinned_abi(const char *pin_dir)
{
	struct lag_abi abi;
	__u32 zero = 0;
	int fd, err;

	err = pin_open(pin_dir, STR(LAG_MAP_ABI), &fd);
	if (err == -ENOENT && access(pin_dir, F_OK) == 0)
		return 1; /* before lag_abi existed */
	if (err)
		return err;
	err = bpf_map_lookup_elem(fd, &zero, &abi) ? -errno : (int)abi.version;
	close(fd);
	return err;
}

int maps_open_pinned(struct lag_maps *m, const char *pin_dir)
{
	int abi = maps_pinned_abi(pin_dir);

	maps_reset(m);
	if (abi < 0)
		return abi;
	if (abi != LAG_ABI_VERSION)
		return -EPROTONOSUPPORT;
	return maps_open_fds(m, pin_dir);
}

int maps_open_pinned_members(struct lag_maps *m, const char *pin_dir)
{
	maps_reset(m);
	if (snprintf(m->pin_dir, sizeof(m->pin_dir), "%s", pin_dir) >= (int)sizeof(m->pin_dir))
		return -ENAMETOOLONG;
	return pin_open(pin_dir, STR(LAG_MAP_MEMBERS), &m->members);
}

#define SKEL_LOAD(name, out, pin_dir)                                                              \
	({                                                                                         \
		LIBBPF_OPTS(bpf_object_open_opts, o_, .pin_root_path = (pin_dir));                 \
		struct name *s_ = name##__open_opts(&o_);                                          \
		int e_ = s_ ? name##__load(s_) : -errno;                                           \
		if (s_ && e_) {                                                                    \
			name##__destroy(s_);                                                       \
			s_ = NULL;                                                                 \
		}                                                                                  \
		(out) = s_;                                                                        \
		e_;                                                                                \
	})

/* One pin per program, so `add` and a restarted controller find them. */
static int pin_progs(struct lag_maps *m, const char *pin_dir)
{
	int progs[] = { m->prog_xdp, m->prog_tx, m->prog_rx };
	char path[512];

	for (size_t i = 0; i < sizeof(progs) / sizeof(*progs); i++) {
		if (snprintf(path, sizeof(path), "%s/%s", pin_dir, prog_pins[i]) >=
		    (int)sizeof(path))
			return -ENAMETOOLONG;
		if (bpf_obj_pin(progs[i], path))
			return -errno;
	}
	return 0;
}

int maps_load(struct lag_maps *m, const char *pin_dir)
{
	struct lag_abi abi = { .version = LAG_ABI_VERSION };
	struct lag_xdp *xdp;
	struct lag_tx *tx;
	struct lag_rx *rx;
	__u32 zero = 0;
	int err;

	maps_reset(m);
	err = SKEL_LOAD(lag_xdp, xdp, pin_dir);
	if (err)
		return err;
	m->skel_xdp = xdp;
	err = SKEL_LOAD(lag_tx, tx, pin_dir);
	if (err)
		goto err_close;
	m->skel_tx = tx;
	err = SKEL_LOAD(lag_rx, rx, pin_dir);
	if (err)
		goto err_close;
	m->skel_rx = rx;
	/* Own fds, independent of the skeletons' lifetime. */
	m->prog_xdp = dup(bpf_program__fd(xdp->progs.lag_xdp));
	m->prog_tx = dup(bpf_program__fd(tx->progs.lag_tx));
	m->prog_rx = dup(bpf_program__fd(rx->progs.lag_rx));
	err = m->prog_xdp < 0 || m->prog_tx < 0 || m->prog_rx < 0 ? -errno : 0;
	if (!err)
		err = pin_progs(m, pin_dir);
	if (!err)
		err = maps_open_fds(m, pin_dir);
	if (!err && bpf_map_update_elem(m->abi, &zero, &abi, BPF_ANY))
		err = -errno;
	if (err)
		goto err_close;
	return 0;
err_close:
	maps_close(m);
	return err;
}

void maps_close(struct lag_maps *m)
{
	maps_close_fds(m);
	lag_xdp__destroy(m->skel_xdp);
	lag_tx__destroy(m->skel_tx);
	lag_rx__destroy(m->skel_rx);
	m->skel_xdp = m->skel_tx = m->skel_rx = NULL;
}

/* Every pin of the folder is this LAG's: maps, programs, links (a link
 * whose last reference goes detaches its program).
 */
int maps_unpin(const char *pin_dir)
{
	DIR *d = opendir(pin_dir);
	struct dirent *de;
	char path[512];
	int ret = 0;

	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		if (snprintf(path, sizeof(path), "%s/%s", pin_dir, de->d_name) >=
		    (int)sizeof(path)) {
			ret = ret ? ret : -ENAMETOOLONG;
			continue;
		}
		if (unlink(path) && errno != ENOENT)
			ret = ret ? ret : -errno;
	}
	closedir(d);
	if (rmdir(pin_dir) && errno != ENOENT)
		ret = ret ? ret : -errno;
	return ret;
}

static int upd(int fd, const void *k, const void *v)
{
	return bpf_map_update_elem(fd, k, v, BPF_ANY) ? -errno : 0;
}

static int get(int fd, const void *k, void *v)
{
	return bpf_map_lookup_elem(fd, k, v) ? -errno : 0;
}

static int del(int fd, const void *k)
{
	return bpf_map_delete_elem(fd, k) && errno != ENOENT ? -errno : 0;
}

int maps_cfg_set(struct lag_maps *m, const struct lag_cfg *cfg)
{
	__u32 zero = 0;

	return upd(m->cfg, &zero, cfg);
}

int maps_cfg_get(struct lag_maps *m, struct lag_cfg *cfg)
{
	__u32 zero = 0;

	return get(m->cfg, &zero, cfg);
}

int maps_slow_police_set(struct lag_maps *m, __u32 rate, __u32 burst)
{
	struct lag_cfg cfg;
	int err = maps_cfg_get(m, &cfg);

	if (err)
		return err;
	cfg.slow_rate = rate;
	cfg.slow_burst = burst;
	return maps_cfg_set(m, &cfg);
}

int maps_police_reset(struct lag_maps *m, __u32 slot)
{
	struct lag_police p = {}; /* last_ns 0: the next frame refills it to full */

	return upd(m->police, &slot, &p);
}

int maps_table_write(struct lag_maps *m, __u32 slot, const struct lag_table *t)
{
	return upd(m->tables, &slot, t);
}

int maps_table_read(struct lag_maps *m, __u32 slot, struct lag_table *t)
{
	return get(m->tables, &slot, t);
}

int maps_active_set(struct lag_maps *m, __u32 slot)
{
	__u32 zero = 0;

	return upd(m->active, &zero, &slot);
}

int maps_active_get(struct lag_maps *m, __u32 *slot)
{
	__u32 zero = 0;

	return get(m->active, &zero, slot);
}

int maps_member_put(struct lag_maps *m, const struct lag_member *mb)
{
	return upd(m->members, &mb->ifindex, mb);
}

int maps_member_get(struct lag_maps *m, __u32 ifindex, struct lag_member *mb)
{
	return get(m->members, &ifindex, mb);
}

int maps_member_del(struct lag_maps *m, __u32 ifindex)
{
	return del(m->members, &ifindex);
}

int maps_members_list(struct lag_maps *m, struct lag_member *out, int max)
{
	__u32 key, next;
	int n = 0, err;

	err = bpf_map_get_next_key(m->members, NULL, &next);
	while (!err && n < max) {
		key = next;
		if (get(m->members, &key, &out[n]) == 0)
			n++;
		err = bpf_map_get_next_key(m->members, &key, &next);
	}
	return n;
}

static int ncpus(void)
{
	static int n;

	if (!n)
		n = libbpf_num_possible_cpus();
	return n;
}

int maps_cnt_init(struct lag_maps *m, __u32 slot)
{
	int n = ncpus();
	struct lag_counters *z;
	int err;

	if (n <= 0)
		return n ? n : -EINVAL;
	z = calloc((size_t)n, sizeof(*z));
	if (!z)
		return -ENOMEM;
	err = upd(m->cnt, &slot, z);
	free(z);
	return err;
}

/* Sum a per-CPU value of u64 counters over every possible CPU. */
static int percpu_sum(int fd, const void *key, void *out, size_t size)
{
	int n = ncpus(), err;
	__u64 *v, *dst = out;

	memset(out, 0, size);
	if (n <= 0)
		return n ? n : -EINVAL;
	v = calloc((size_t)n, size);
	if (!v)
		return -ENOMEM;
	err = get(fd, key, v);
	for (size_t i = 0; !err && i < (size_t)n * (size / sizeof(__u64)); i++)
		dst[i % (size / sizeof(__u64))] += v[i];
	free(v);
	return err;
}

int maps_cnt_sum(struct lag_maps *m, __u32 slot, struct lag_counters *out)
{
	return percpu_sum(m->cnt, &slot, out, sizeof(*out));
}

/* One batch lookup of every bucket, summed over CPUs. */
int maps_load_read(struct lag_maps *m, __u64 bytes[LAG_BUCKETS])
{
	int n = ncpus(), err = 0;
	__u32 keys[LAG_BUCKETS], count = LAG_BUCKETS, out_batch = 0;
	struct lag_load *v;

	if (n <= 0)
		return n ? n : -EINVAL;
	v = calloc((size_t)n * LAG_BUCKETS, sizeof(*v));
	if (!v)
		return -ENOMEM;
	if (bpf_map_lookup_batch(m->load, NULL, &out_batch, keys, v, &count, NULL) &&
	    errno != ENOENT)
		err = -errno;
	memset(bytes, 0, LAG_BUCKETS * sizeof(*bytes));
	for (__u32 i = 0; !err && i < count; i++)
		for (int cpu = 0; cpu < n && keys[i] < LAG_BUCKETS; cpu++)
			bytes[keys[i]] += v[(size_t)i * (size_t)n + (size_t)cpu].bytes;
	free(v);
	return err;
}

int maps_cnt_lag_sum(struct lag_maps *m, struct lag_lag_counters *out)
{
	__u32 zero = 0;

	return percpu_sum(m->cnt_lag, &zero, out, sizeof(*out));
}

int maps_heartbeat_set(struct lag_maps *m, __u64 refresh_ns, __u64 timeout_ns)
{
	struct lag_heartbeat hb = { .refresh_ns = refresh_ns, .timeout_ns = timeout_ns };
	__u32 zero = 0;

	return upd(m->heartbeat, &zero, &hb);
}

int maps_heartbeat_get(struct lag_maps *m, struct lag_heartbeat *hb)
{
	__u32 zero = 0;

	return get(m->heartbeat, &zero, hb);
}

int maps_pinned_deadman(const char *pin_dir, struct lag_heartbeat *hb, struct lag_lag_counters *lc)
{
	struct lag_maps m;
	int err;

	maps_reset(&m);
	err = pin_open(pin_dir, STR(LAG_MAP_HEARTBEAT), &m.heartbeat);
	if (!err)
		err = pin_open(pin_dir, STR(LAG_MAP_CNT_LAG), &m.cnt_lag);
	if (!err)
		err = maps_heartbeat_get(&m, hb);
	if (!err)
		err = maps_cnt_lag_sum(&m, lc);
	maps_close_fds(&m);
	return err;
}

int maps_xsk_set(struct lag_maps *m, __u32 key, int xsk_fd)
{
	return upd(m->xsks, &key, &xsk_fd);
}

int maps_xsk_del(struct lag_maps *m, __u32 key)
{
	return del(m->xsks, &key);
}

int maps_lacp_put(struct lag_maps *m, __u32 ifindex, const struct lag_lacp_port *p)
{
	return upd(m->lacp, &ifindex, p);
}

int maps_lacp_get(struct lag_maps *m, __u32 ifindex, struct lag_lacp_port *p)
{
	return get(m->lacp, &ifindex, p);
}

int maps_lacp_del(struct lag_maps *m, __u32 ifindex)
{
	return del(m->lacp, &ifindex);
}

int maps_member_owner(const char *pin_root, __u32 ifindex, char *lag, size_t len)
{
	struct dirent *de;
	int found = -ENOENT;
	DIR *d = opendir(pin_root);

	while (d && found && (de = readdir(d))) {
		char path[PATH_MAX];
		struct lag_member mb;
		int fd;

		if (de->d_name[0] == '.' || strlen(de->d_name) >= len)
			continue;
		if (snprintf(path, sizeof(path), "%s/%s/" STR(LAG_MAP_MEMBERS), pin_root,
			     de->d_name) >= (int)sizeof(path))
			continue;
		fd = bpf_obj_get(path);
		if (fd < 0)
			continue;
		if (bpf_map_lookup_elem(fd, &ifindex, &mb) == 0) {
			snprintf(lag, len, "%s", de->d_name);
			found = 0;
		}
		close(fd);
	}
	if (d)
		closedir(d);
	return found;
}

struct lag_slow_ring {
	struct ring_buffer *rb;
	int fd; /* our own reference to lag_slow: the fd to watch */
	maps_slow_cb cb;
	void *ctx;
	int n;
};

static int slow_ring_sample(void *ctx, void *data, size_t size)
{
	const size_t hdr = offsetof(struct lag_slow_frame, frame);
	const struct lag_slow_frame *f = data;
	struct lag_slow_ring *r = ctx;

	/* Written by our own programs; checked all the same. */
	if (size < hdr || f->len > LAG_SLOW_FRAME_MAX || f->len > size - hdr)
		return 0;
	r->cb(r->ctx, f->ifindex, f->frame, f->len);
	r->n++;
	return 0;
}

int maps_slow_ring_open(struct lag_slow_ring **out, const struct lag_maps *m)
{
	struct lag_slow_ring *r = calloc(1, sizeof(*r));
	int err;

	if (!r)
		return -ENOMEM;
	r->fd = fcntl(m->slow, F_DUPFD_CLOEXEC, 0);
	if (r->fd < 0) {
		err = -errno;
		free(r);
		return err;
	}
	r->rb = ring_buffer__new(r->fd, slow_ring_sample, r, NULL);
	if (!r->rb) {
		err = -errno;
		close(r->fd);
		free(r);
		return err ? err : -EINVAL;
	}
	*out = r;
	return 0;
}

int maps_slow_ring_fd(const struct lag_slow_ring *r)
{
	return r->fd;
}

int maps_slow_ring_rx(struct lag_slow_ring *r, maps_slow_cb cb, void *ctx)
{
	int err;

	r->cb = cb;
	r->ctx = ctx;
	r->n = 0;
	err = ring_buffer__consume(r->rb);
	return err < 0 ? err : r->n;
}

void maps_slow_ring_close(struct lag_slow_ring *r)
{
	if (!r)
		return;
	ring_buffer__free(r->rb);
	close(r->fd);
	free(r);
}
