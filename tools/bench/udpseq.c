// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* UDP with sequence numbers, to see the loss window of a failover from the
 * receiver's side. The sender paces NFLOWS flows (distinct source ports)
 * round-robin; each datagram carries flow, per-flow sequence and send time
 * (CLOCK_REALTIME ns). The receiver prints one line per gap:
 *   gap FLOW LOST FIRST_LOST_SEND_NS NEXT_RECV_SEND_NS
 * usage: udpseq send DST_IP PORT INTERVAL_US NFLOWS SECONDS
 *        udpseq recv PORT
 */
#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>

#define MAXFLOWS 64

struct msg {
	uint32_t flow;
	uint32_t seq;
	uint64_t sent_ns;
	uint64_t period_ns; /* per-flow period, for the receiver */
	char pad[2];
};

static uint64_t now_ns(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static int do_send(const char *dst, int port, int interval_us, int nflows, int secs)
{
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(port) };
	int fd[MAXFLOWS];
	uint32_t seq[MAXFLOWS] = { 0 };
	struct timespec next;
	uint64_t end, step = (uint64_t)interval_us * 1000;
	struct msg m = { .period_ns = step * (uint64_t)nflows };

	if (nflows < 1 || nflows > MAXFLOWS || inet_pton(AF_INET, dst, &to.sin_addr) != 1)
		return 2;
	for (int i = 0; i < nflows; i++) {
		fd[i] = socket(AF_INET, SOCK_DGRAM, 0);
		if (fd[i] < 0 || connect(fd[i], (struct sockaddr *)&to, sizeof(to))) {
			perror("udpseq: socket");
			return 1;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &next);
	end = now_ns(CLOCK_MONOTONIC) + (uint64_t)secs * 1000000000ull;
	for (uint64_t k = 0; now_ns(CLOCK_MONOTONIC) < end; k++) {
		int f = (int)(k % (uint64_t)nflows);

		m.flow = (uint32_t)f;
		m.seq = seq[f]++;
		m.sent_ns = now_ns(CLOCK_REALTIME);
		/* a failed send (no member: ENOBUFS etc.) is a lost datagram */
		(void)send(fd[f], &m, sizeof(m), MSG_DONTWAIT);
		next.tv_nsec += (long)step;
		while (next.tv_nsec >= 1000000000L) {
			next.tv_nsec -= 1000000000L;
			next.tv_sec++;
		}
		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
	}
	return 0;
}

static volatile sig_atomic_t stop;
static void on_sig(int s)
{
	(void)s;
	stop = 1;
}

static int do_recv(int port)
{
	struct sockaddr_in me = { .sin_family = AF_INET, .sin_port = htons(port) };
	int fd = socket(AF_INET, SOCK_DGRAM, 0), big = 8 << 20;
	int64_t last[MAXFLOWS];
	unsigned long long got = 0, reordered = 0;
	struct sigaction sa = { .sa_handler = on_sig };
	struct msg m;

	for (int i = 0; i < MAXFLOWS; i++)
		last[i] = -1;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &big, sizeof(big));
	if (fd < 0 || bind(fd, (struct sockaddr *)&me, sizeof(me))) {
		perror("udpseq: bind");
		return 1;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	while (!stop) {
		ssize_t n = recv(fd, &m, sizeof(m), 0);

		if (n < (ssize_t)sizeof(m) || m.flow >= MAXFLOWS)
			continue;
		got++;
		if (last[m.flow] >= 0 && (int64_t)m.seq > last[m.flow] + 1) {
			uint64_t lost = m.seq - last[m.flow] - 1;

			printf("gap %u %llu %llu %llu %llu\n", m.flow, (unsigned long long)lost,
			       (unsigned long long)(m.sent_ns - lost * m.period_ns),
			       (unsigned long long)m.sent_ns, (unsigned long long)m.period_ns);
		} else if (last[m.flow] >= 0 && (int64_t)m.seq <= last[m.flow]) {
			reordered++;
			continue;
		}
		last[m.flow] = m.seq;
	}
	printf("total %llu reordered %llu\n", got, reordered);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 7 && !strcmp(argv[1], "send"))
		return do_send(argv[2], atoi(argv[3]), atoi(argv[4]), atoi(argv[5]), atoi(argv[6]));
	if (argc == 3 && !strcmp(argv[1], "recv"))
		return do_recv(atoi(argv[2]));
	fprintf(stderr, "usage: udpseq send DST_IP PORT INTERVAL_US NFLOWS SECONDS | recv PORT\n");
	return 2;
}
