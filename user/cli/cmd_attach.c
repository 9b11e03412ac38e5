// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* lagbpf attach LAG MEMBER... [options]: argv to a lag_config through the
 * option table, the LAG set up on the host, then its controller started.
 */
#include <errno.h>
#include <getopt.h>
#include <unistd.h>
#include <stdio.h>
#include <string.h>
#include "cli/cmd.h"
#include "conf/conffile.h"
#include "conf/options.h"
#include "daemon/daemon.h"
#include "lag/lag.h"
#include "sys/lock.h"
#include "sys/log.h"

#define OPT_BASE   256 /* getopt values: OPT_BASE + row of lag_options */
#define OPT_HELP   (OPT_BASE + LAG_O__COUNT)
#define OPT_CONFIG (OPT_HELP + 1)
#define CONFIG_MAX (64 * 1024)

static int usage(int asked)
{
	FILE *out = asked ? stdout : stderr;

	fprintf(out, "usage: lagbpf attach LAG MEMBER... [options]\n"
		     "       lagbpf attach [LAG] [MEMBER...] --config FILE [options]\n");
	lag_options_synopsis(out, LAG_OPT_ATTACH, "       ");
	if (asked) {
		fprintf(out, "  %-34s %s\n", "--config FILE",
			"read FILE (/etc/lagbpf/LAG.conf, see lagbpf.conf(5)); options given "
			"here win");
		lag_options_help(out, LAG_OPT_ATTACH);
	}
	return asked ? 0 : 2;
}

/* --config FILE, wherever it is among the arguments, or NULL. */
static const char *config_arg(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			break;
		if (!strcmp(argv[i], "--config") && i + 1 < argc)
			return argv[i + 1];
		if (!strncmp(argv[i], "--config=", 9))
			return argv[i] + 9;
	}
	return NULL;
}

/* The file's settings into c; its base name (LAG.conf) names the LAG. */
static int load_config(struct lag_config *c, const char *path, char *name, size_t name_len)
{
	char text[CONFIG_MAX + 1], err[LAG_ERR_LEN];
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	size_t n, stem = strcspn(base, ".");
	FILE *f = fopen(path, "re");

	if (!f) {
		lag_err("--config %s: %s", path, strerror(errno));
		return -1;
	}
	n = fread(text, 1, sizeof(text), f);
	if (ferror(f) || n > CONFIG_MAX) {
		lag_err("--config %s: %s", path,
			n > CONFIG_MAX ? "larger than 64 KiB" : "read error");
		fclose(f);
		return -1;
	}
	fclose(f);
	text[n] = '\0';
	if (memchr(text, '\0', n)) {
		lag_err("--config %s: not a text file", path);
		return -1;
	}
	if (lag_conffile_parse(c, text, path, err, sizeof(err))) {
		lag_err("%s", err);
		return -1;
	}
	snprintf(name, name_len, "%.*s", (int)(stem < name_len ? stem : name_len - 1), base);
	return 0;
}

/* Options into c: 0, -1 (--help), 1 (bad value, said why) or 2 (usage). */
static int parse(struct lag_config *c, int argc, char **argv)
{
	struct option lo[LAG_O__COUNT + 3] = {};
	char err[LAG_ERR_LEN];
	int n = 0, opt;

	for (int i = 0; i < lag_n_options; i++) {
		if (!(lag_options[i].scope & LAG_OPT_ATTACH))
			continue;
		lo[n++] = (struct option){ lag_options[i].name,
					   lag_options[i].type == LAG_OPT_FLAG ? no_argument
									       : required_argument,
					   NULL, OPT_BASE + i };
	}
	lo[n++] = (struct option){ "help", no_argument, NULL, OPT_HELP };
	lo[n] = (struct option){ "config", required_argument, NULL, OPT_CONFIG };
	while ((opt = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		if (opt == OPT_HELP)
			return -1;
		if (opt == OPT_CONFIG)
			continue; /* read before the options, which win over it */
		if (opt < OPT_BASE || opt >= OPT_HELP)
			return usage(0);
		if (lag_option_apply(c, &lag_options[opt - OPT_BASE], optarg, err, sizeof(err))) {
			lag_err("%s", err);
			return 1;
		}
	}
	return 0;
}

int cmd_attach(int argc, char **argv)
{
	static char prefix[64];
	char err[LAG_ERR_LEN], file_name[64];
	const char *config, *name;
	struct lag_config c;
	struct lag_paths p;
	int ret, adopt;

	lag_config_defaults(&c);
	lag_log_prefix = "attach";
	config = config_arg(argc, argv);
	if (config && load_config(&c, config, file_name, sizeof(file_name)))
		return 1;
	ret = parse(&c, argc, argv);
	if (ret < 0)
		return usage(1);
	if (ret)
		return ret;
	name = optind < argc ? argv[optind++] : config ? file_name : NULL;
	if (!name) {
		lag_err("attach: no LAG name given (usage: lagbpf attach LAG MEMBER...)");
		return 2;
	}
	snprintf(prefix, sizeof(prefix), "attach %.32s", name);
	lag_log_prefix = prefix;
	if (lag_config_set_name(&c, name, err, sizeof(err))) {
		lag_err("%s", err);
		return 1;
	}
	if (optind < argc)
		c.n_members = 0; /* members given here replace the file's */
	for (int i = optind; i < argc; i++) {
		if (lag_config_add_member(&c, argv[i], err, sizeof(err))) {
			lag_err("%s", err);
			return 1;
		}
	}
	if (lag_config_check(&c, err, sizeof(err))) {
		lag_err("%s", err);
		return 1;
	}
	if (cmd_lag_paths(c.name, &p))
		return 1;
	/* A LAG that lost its controller is adopted, not refused. */
	adopt = lag_exists(c.name, &p) && access(p.pin_dir, F_OK) == 0;
	if (adopt) {
		pid_t owner = lag_pidfile_owner(p.pid);

		if (owner) {
			lag_err("%s runs already (controller %d): change it with set, add or del",
				c.name, (int)owner);
			return 1;
		}
		if (lag_adopt(&c, &p))
			return 1;
	} else if (lag_attach(&c, &p)) {
		return 1;
	}
	if (c.foreground) {
		/* In the foreground the LAG lives as long as this process,
		 * which must not hold the host lock that long.
		 */
		lag_host_unlock();
		/* Under systemd (Type=notify runs it so too): the journal, as
		 * a forked controller would log there.
		 */
		if (lag_log_to_journal() == 0 && lag_log_verbosity < LAG_LOG_INFO)
			lag_log_verbosity = LAG_LOG_INFO;
		ret = daemon_run(&c, &p, -1, adopt);
		lag_detach(c.name, &p);
		return ret ? 1 : 0;
	}
	ret = daemon_spawn(&c, &p, adopt);
	if (ret) {
		/* The controller already printed why; undo from the pins (an
		 * adopted LAG stays as it was: forwarding, without a controller).
		 */
		lag_log_prefix = NULL;
		if (!adopt)
			lag_detach(c.name, &p);
		return 1;
	}
	return 0;
}
