// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The one logger: levels, the user-facing one-line error (text or JSON), and
 * the routing of libbpf/libxdp messages through it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include <xdp/libxdp.h>
#include <json-c/json.h>
#include "sys/log.h"

int lag_log_verbosity = LAG_LOG_WARN;
int lag_log_json;
const char *lag_log_prefix;
static FILE *log_out;
static int log_timestamps;

/* The daemon's log file: capped (rotated to PATH.1 past LAG_LOG_FILE_MAX),
 * reopened on SIGHUP, and guarded against floods: a line equal to the one
 * before is counted, not written, and past LAG_LOG_RATE lines a second
 * (burst LAG_LOG_BURST) lines are counted as suppressed. Either count is
 * written before the next line that goes out.
 */
#define LAG_LOG_FILE_MAX (512 * 1024)
#define LAG_LOG_RATE	 50
#define LAG_LOG_BURST	 200
static char log_path[256];
static char last_line[512];
static unsigned long repeated, suppressed;
static double tokens = LAG_LOG_BURST;
static uint64_t tokens_ns;

static const char *const level_name[] = { "error", "warning", "info", "debug" };

static void stamp(FILE *out, int level)
{
	struct timespec ts;
	struct tm tm;
	char when[32];

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
	fprintf(out, "%s.%06ldZ %s: ", when, ts.tv_nsec / 1000, level_name[level]);
}

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Room for one more line in this second's budget? Errors always pass. */
static int take_token(int level)
{
	uint64_t now = mono_ns();

	tokens += (double)(now - tokens_ns) * LAG_LOG_RATE / 1e9;
	tokens_ns = now;
	if (tokens > LAG_LOG_BURST)
		tokens = LAG_LOG_BURST;
	if (level == LAG_LOG_ERR || tokens >= 1) {
		tokens -= level == LAG_LOG_ERR ? 0 : 1;
		return 1;
	}
	return 0;
}

static void rotate_if_full(void)
{
	char old[sizeof(log_path) + 2];
	long size;

	if (!log_path[0] || (size = ftell(log_out)) < LAG_LOG_FILE_MAX)
		return;
	snprintf(old, sizeof(old), "%s.1", log_path);
	if (rename(log_path, old) == 0)
		lag_log_reopen();
}

/* A daemon's line: deduplicated, rate-limited, into the capped file. */
static void file_line(int level, const char *line)
{
	if (!strcmp(line, last_line)) {
		repeated++;
		return;
	}
	if (!take_token(level)) {
		suppressed++;
		return;
	}
	if (repeated) {
		stamp(log_out, LAG_LOG_INFO);
		fprintf(log_out, "(last line repeated %lu times)\n", repeated);
		repeated = 0;
	}
	if (suppressed) {
		stamp(log_out, LAG_LOG_WARN);
		fprintf(log_out, "(suppressed %lu lines: more than %d a second)\n", suppressed,
			LAG_LOG_RATE);
		suppressed = 0;
	}
	snprintf(last_line, sizeof(last_line), "%s", line);
	stamp(log_out, level);
	fputs(line, log_out);
	fflush(log_out);
	rotate_if_full();
}

static void vlog(int level, const char *fmt, va_list ap)
{
	FILE *out = log_out ? log_out : stderr;

	if (level > lag_log_verbosity)
		return;
	if (log_timestamps) {
		char line[sizeof(last_line)];

		vsnprintf(line, sizeof(line), fmt, ap);
		file_line(level, line);
		return;
	}
	if (level != LAG_LOG_ERR)
		fprintf(out, "lagbpf: %s: ", level_name[level]);
	vfprintf(out, fmt, ap);
	fflush(out);
}

void lag_log(int level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(level, fmt, ap);
	va_end(ap);
}

void lag_err(const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (lag_log_json) {
		char full[1200];
		json_object *o = json_object_new_object();

		snprintf(full, sizeof(full), "%s%s%s", lag_log_prefix ? lag_log_prefix : "",
			 lag_log_prefix ? ": " : "", msg);
		json_object_object_add(o, "error", json_object_new_string(full));
		printf("%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
		json_object_put(o);
		return;
	}
	if (log_out)
		lag_log(LAG_LOG_ERR, "%s\n", msg);
	fprintf(stderr, "lagbpf: %s%s%s\n", lag_log_prefix ? lag_log_prefix : "",
		lag_log_prefix ? ": " : "", msg);
}

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	/* libbpf's warnings are our info: they are often expected probes */
	int ours = level == LIBBPF_WARN ? LAG_LOG_INFO : LAG_LOG_DEBUG;

	vlog(ours, fmt, ap);
	return 0;
}

static int libxdp_print(enum libxdp_print_level level, const char *fmt, va_list ap)
{
	int ours = level == LIBXDP_WARN ? LAG_LOG_INFO : LAG_LOG_DEBUG;

	vlog(ours, fmt, ap);
	return 0;
}

void lag_log_route_libs(void)
{
	libbpf_set_print(libbpf_print);
	libxdp_set_print(libxdp_print);
}

int lag_log_to_file(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	FILE *f;

	if (fd < 0)
		return -errno;
	f = fdopen(fd, "a");
	if (!f) {
		int err = -errno;

		close(fd);
		return err;
	}
	if (log_out)
		fclose(log_out);
	log_out = f;
	log_timestamps = 1;
	if (path != log_path)
		snprintf(log_path, sizeof(log_path), "%s", path);
	return 0;
}

int lag_log_reopen(void)
{
	return log_path[0] ? lag_log_to_file(log_path) : 0;
}
