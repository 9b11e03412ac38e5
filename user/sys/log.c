// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The one logger: levels, the user-facing one-line error (text or JSON), and
 * the routing of libbpf/libxdp messages through it.
 */
#include <stdarg.h>
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

static const char *const level_name[] = { "error", "warning", "info", "debug" };

static void vlog(int level, const char *fmt, va_list ap)
{
	FILE *out = log_out ? log_out : stderr;

	if (level > lag_log_verbosity)
		return;
	if (log_timestamps) {
		struct timespec ts;
		struct tm tm;
		char when[32];

		clock_gettime(CLOCK_REALTIME, &ts);
		gmtime_r(&ts.tv_sec, &tm);
		strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
		fprintf(out, "%s.%06ldZ %s: ", when, ts.tv_nsec / 1000, level_name[level]);
	} else if (level != LAG_LOG_ERR) {
		fprintf(out, "lagbpf: %s: ", level_name[level]);
	}
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

void lag_log_to_fd(int fd)
{
	FILE *f = fdopen(fd, "a");

	if (!f)
		return;
	log_out = f;
	log_timestamps = 1;
}
