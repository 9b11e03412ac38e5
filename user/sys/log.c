// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The one logger: levels, the user-facing one-line error (text or JSON), and
 * the routing of libbpf/libxdp messages through it. A daemon's lines go to
 * its log file, or to the journal when systemd connected stderr to it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <bpf/libbpf.h>
#include <xdp/libxdp.h>
#include <json-c/json.h>
#include "sys/log.h"

int lag_log_verbosity = LAG_LOG_WARN;
int lag_log_json;
const char *lag_log_prefix;
static FILE *log_out;
static int log_timestamps;
static int log_journal; /* the daemon's lines go to the journal (stderr) */

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
/* syslog(3) priorities, for the journal's "<N>" line prefix (sd-daemon(3)) */
static const int level_syslog[] = { 3 /* err */, 4 /* warning */, 6 /* info */, 7 /* debug */ };
_Static_assert(sizeof(level_name) / sizeof(level_name[0]) == LAG_LOG_DEBUG + 1, "levels");
_Static_assert(sizeof(level_syslog) / sizeof(level_syslog[0]) == LAG_LOG_DEBUG + 1, "levels");

/* Is stderr the journal? systemd sets $JOURNAL_STREAM to "DEV:INODE" of the
 * stream it gave the service; stderr must still be that stream (a child may
 * inherit the variable with stderr pointing elsewhere). Asked once.
 */
static int stderr_is_journal(void)
{
	static int known = -1;
	unsigned long long dev, ino;
	const char *env;
	struct stat st;
	char tail;

	if (known >= 0)
		return known;
	known = 0;
	env = getenv("JOURNAL_STREAM");
	if (env && sscanf(env, "%llu:%llu%c", &dev, &ino, &tail) == 2 &&
	    fstat(STDERR_FILENO, &st) == 0 && (unsigned long long)st.st_dev == dev &&
	    (unsigned long long)st.st_ino == ino)
		known = 1;
	return known;
}

/* text (one line or several) to the journal: each line with its priority. */
static void journal_write(int level, const char *text)
{
	while (*text) {
		size_t n = strcspn(text, "\n");

		fprintf(stderr, "<%d>%.*s\n", level_syslog[level], (int)n, text);
		text += n + (text[n] == '\n');
	}
	fflush(stderr);
}

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

	if (!log_out || !log_path[0] || (size = ftell(log_out)) < LAG_LOG_FILE_MAX)
		return;
	snprintf(old, sizeof(old), "%s.1", log_path);
	if (rename(log_path, old) == 0)
		lag_log_reopen();
}

/* One of a daemon's lines out: to the journal with its priority (which
 * stamps it), or timestamped into the capped file.
 */
static void daemon_write(int level, const char *line)
{
	if (log_journal) {
		journal_write(level, line);
		return;
	}
	stamp(log_out, level);
	fputs(line, log_out);
	fflush(log_out);
	rotate_if_full();
}

/* A daemon's line: deduplicated, rate-limited, then written. */
static void daemon_line(int level, const char *line)
{
	char note[96];

	if (!strcmp(line, last_line)) {
		repeated++;
		return;
	}
	if (!take_token(level)) {
		suppressed++;
		return;
	}
	if (repeated) {
		snprintf(note, sizeof(note), "(last line repeated %lu times)\n", repeated);
		daemon_write(LAG_LOG_INFO, note);
		repeated = 0;
	}
	if (suppressed) {
		snprintf(note, sizeof(note), "(suppressed %lu lines: more than %d a second)\n",
			 suppressed, LAG_LOG_RATE);
		daemon_write(LAG_LOG_WARN, note);
		suppressed = 0;
	}
	snprintf(last_line, sizeof(last_line), "%s", line);
	daemon_write(level, line);
}

static void vlog(int level, const char *fmt, va_list ap)
{
	FILE *out = log_out ? log_out : stderr;
	char line[sizeof(last_line)];

	if (level > lag_log_verbosity)
		return;
	if (log_timestamps || log_journal) {
		vsnprintf(line, sizeof(line), fmt, ap);
		daemon_line(level, line);
		return;
	}
	if (!log_out && stderr_is_journal()) {
		/* a command run by systemd (ExecStop=): its lines with their priority */
		int n = level == LAG_LOG_ERR
				? 0
				: snprintf(line, sizeof(line), "lagbpf: %s: ", level_name[level]);

		vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
		journal_write(level, line);
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
	if (log_journal || (!log_out && stderr_is_journal())) {
		/* stderr is the journal: the line once, as an error */
		lag_log(LAG_LOG_ERR, "lagbpf: %s%s%s\n", lag_log_prefix ? lag_log_prefix : "",
			lag_log_prefix ? ": " : "", msg);
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

int lag_log_to_journal(void)
{
	if (!stderr_is_journal())
		return -ENOENT;
	log_journal = 1;
	return 0;
}

int lag_log_is_journal(void)
{
	return log_journal;
}

int lag_log_reopen(void)
{
	return log_path[0] ? lag_log_to_file(log_path) : 0;
}
