// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* AF_XDP I/O over libxdp's xsk API. A small UMEM per socket: half of its
 * frames feed the fill ring, half are a free list for TX. I/O only.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <linux/if_link.h>
#include <linux/if_xdp.h>
#include <xdp/xsk.h>
#include "sys/log.h"
#include "sys/xsk.h"

#define XSK_FRAMES     64
#define XSK_FRAME_SIZE XSK_UMEM__DEFAULT_FRAME_SIZE
#define XSK_RING       32 /* descriptors per ring: power of two */

struct xsk_port {
	struct xsk_umem *umem;
	struct xsk_socket *xsk;
	struct xsk_ring_prod fq, tx;
	struct xsk_ring_cons cq, rx;
	void *area;
	__u64 free_tx[XSK_FRAMES / 2];
	unsigned int n_free_tx;
	__u64 refill[XSK_FRAMES / 2]; /* received frames not yet back on the fill ring */
	unsigned int n_refill;
};

/* Give received frames back to the fill ring, as many as it takes now; the
 * rest wait for the next call. A frame is never lost, so the socket never
 * runs dry.
 */
static void refill(struct xsk_port *x)
{
	__u32 idx, n = x->n_refill;

	while (n && xsk_ring_prod__reserve(&x->fq, n, &idx) != n)
		n--;
	for (__u32 i = 0; i < n; i++)
		*xsk_ring_prod__fill_addr(&x->fq, idx + i) = x->refill[i];
	if (!n)
		return;
	xsk_ring_prod__submit(&x->fq, n);
	memmove(x->refill, x->refill + n, (x->n_refill - n) * sizeof(*x->refill));
	x->n_refill -= n;
}

static int fill_all(struct xsk_port *x)
{
	__u32 idx, n = XSK_FRAMES / 2;

	if (xsk_ring_prod__reserve(&x->fq, n, &idx) != n)
		return -ENOSPC;
	for (__u32 i = 0; i < n; i++)
		*xsk_ring_prod__fill_addr(&x->fq, idx + i) = (__u64)i * XSK_FRAME_SIZE;
	xsk_ring_prod__submit(&x->fq, n);
	return 0;
}

int xsk_port_open(struct xsk_port **out, const char *ifname, unsigned int queue, int wait_busy)
{
	struct xsk_umem_config ucfg = {
		.fill_size = XSK_RING,
		.comp_size = XSK_RING,
		.frame_size = XSK_FRAME_SIZE,
		.frame_headroom = 0,
	};
	struct xsk_socket_config scfg = {
		.rx_size = XSK_RING,
		.tx_size = XSK_RING,
		.libxdp_flags = XSK_LIBXDP_FLAGS__INHIBIT_PROG_LOAD,
		.xdp_flags = XDP_FLAGS_SKB_MODE,
		.bind_flags = XDP_COPY | XDP_USE_NEED_WAKEUP,
	};
	size_t size = (size_t)XSK_FRAMES * XSK_FRAME_SIZE;
	struct xsk_port *x = calloc(1, sizeof(*x));
	int err;

	if (!x)
		return -ENOMEM;
	x->area = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (x->area == MAP_FAILED) {
		err = -errno;
		free(x);
		return err;
	}
	err = xsk_umem__create(&x->umem, x->area, size, &x->fq, &x->cq, &ucfg);
	if (err == -EPERM || err == -ENOMEM) {
		struct rlimit rl;

		if (getrlimit(RLIMIT_MEMLOCK, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
			lag_log(LAG_LOG_ERR,
				"AF_XDP on %s: the UMEM was refused with RLIMIT_MEMLOCK at %lu KiB "
				"(ulimit -l): raise it, or run with CAP_IPC_LOCK\n",
				ifname, (unsigned long)(rl.rlim_cur / 1024));
	}
	if (err)
		goto err_unmap;
	/* A controller that just stopped (a restart) may still hold the queue
	 * for a moment: the kernel releases an AF_XDP socket after its owner.
	 */
	for (int tries = 0; tries < (wait_busy ? 100 : 1); tries++) {
		if (tries)
			usleep(10000);
		err = xsk_socket__create(&x->xsk, ifname, queue, x->umem, &x->rx, &x->tx, &scfg);
		if (err != -EBUSY)
			break;
	}
	if (err)
		goto err_umem;
	err = fill_all(x);
	if (err)
		goto err_sock;
	for (unsigned int i = 0; i < XSK_FRAMES / 2; i++)
		x->free_tx[x->n_free_tx++] = (__u64)(XSK_FRAMES / 2 + i) * XSK_FRAME_SIZE;
	*out = x;
	return 0;
err_sock:
	xsk_socket__delete(x->xsk);
err_umem:
	xsk_umem__delete(x->umem);
err_unmap:
	munmap(x->area, size);
	free(x);
	return err;
}

void xsk_port_close(struct xsk_port *x)
{
	if (!x)
		return;
	xsk_socket__delete(x->xsk);
	xsk_umem__delete(x->umem);
	munmap(x->area, (size_t)XSK_FRAMES * XSK_FRAME_SIZE);
	free(x);
}

int xsk_port_fd(const struct xsk_port *x)
{
	return xsk_socket__fd(x->xsk);
}

int xsk_port_rx(struct xsk_port *x, xsk_rx_cb cb, void *ctx)
{
	__u32 idx_rx = 0, n, i;

	refill(x);
	n = xsk_ring_cons__peek(&x->rx, XSK_RING, &idx_rx);
	if (!n) {
		if (xsk_ring_prod__needs_wakeup(&x->fq))
			recvfrom(xsk_port_fd(x), NULL, 0, MSG_DONTWAIT, NULL, NULL);
		return 0;
	}
	for (i = 0; i < n; i++) {
		const struct xdp_desc *d = xsk_ring_cons__rx_desc(&x->rx, idx_rx + i);

		cb(ctx, xsk_umem__get_data(x->area, d->addr), d->len);
	}
	/* The frames go back to the fill ring: now, or at the next call. */
	for (i = 0; i < n && x->n_refill < XSK_FRAMES / 2; i++)
		x->refill[x->n_refill++] =
			xsk_umem__extract_addr(xsk_ring_cons__rx_desc(&x->rx, idx_rx + i)->addr);
	xsk_ring_cons__release(&x->rx, n);
	refill(x);
	if (xsk_ring_prod__needs_wakeup(&x->fq))
		recvfrom(xsk_port_fd(x), NULL, 0, MSG_DONTWAIT, NULL, NULL);
	return (int)n;
}

static void reap_completions(struct xsk_port *x)
{
	__u32 idx, n = xsk_ring_cons__peek(&x->cq, XSK_RING, &idx);

	for (__u32 i = 0; i < n && x->n_free_tx < XSK_FRAMES / 2; i++)
		x->free_tx[x->n_free_tx++] = *xsk_ring_cons__comp_addr(&x->cq, idx + i);
	xsk_ring_cons__release(&x->cq, n);
}

int xsk_port_tx(struct xsk_port *x, const void *frame, size_t len)
{
	struct xdp_desc *d;
	__u32 idx;
	__u64 addr;

	reap_completions(x);
	if (!x->n_free_tx || len > XSK_FRAME_SIZE)
		return len > XSK_FRAME_SIZE ? -EMSGSIZE : -EAGAIN;
	if (xsk_ring_prod__reserve(&x->tx, 1, &idx) != 1)
		return -EAGAIN;
	addr = x->free_tx[--x->n_free_tx];
	memcpy(xsk_umem__get_data(x->area, addr), frame, len);
	d = xsk_ring_prod__tx_desc(&x->tx, idx);
	d->addr = addr;
	d->len = (__u32)len;
	xsk_ring_prod__submit(&x->tx, 1);
	/* Copy mode always needs the kick. */
	if (sendto(xsk_port_fd(x), NULL, 0, MSG_DONTWAIT, NULL, 0) < 0 && errno != EAGAIN &&
	    errno != EBUSY && errno != ENOBUFS)
		return -errno;
	reap_completions(x);
	return 0;
}
