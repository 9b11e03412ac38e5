// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* lagbpf [-n NS] [-j] [-p] [-v] VERB ...: global options, then the verb
 * table with unique-prefix matching. Nothing else.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <getopt.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "cli/cmd.h"
#include "conf/names.h"
#include "conf/options.h"
#include "sys/lock.h"
#include "sys/log.h"
#include "sys/netns.h"

#define LAGBPF_VERSION "0.2.0"
#ifndef LAGBPF_LIBXDP_VERSION
#define LAGBPF_LIBXDP_VERSION "unknown"
#endif

int cmd_json;
const char *cmd_orphan_ns;
int cmd_pretty;

static int usage(FILE *out)
{
	fprintf(out, "usage: lagbpf [-n NS] [-j] [-p] [-v] VERB [ARGS]\n"
		     "  attach LAG MEMBER...\n");
	lag_options_synopsis(out, LAG_OPT_ATTACH, "         ");
	fprintf(out, "  detach LAG\n"
		     "  show [LAG | --all]\n"
		     "  set LAG\n");
	lag_options_synopsis(out, LAG_OPT_SET, "         ");
	fprintf(out,
		"  add LAG MEMBER...    associate members with a running LAG\n"
		"  del LAG MEMBER...    disassociate them (restored as before)\n"
		"  restart LAG          a new controller, the data path untouched\n"
		"  metrics [LAG]        Prometheus text format (node_exporter textfile)\n"
		"  monitor [LAG]        events as they happen (-j: JSON lines)\n"
		"  capture LAG [MEMBER] [-w FILE] [-c COUNT]\n"
		"                       the LACP and Marker PDUs sent and received, as pcapng\n"
		"  help | version\n"
		"  VERB --help          the verb's options, with defaults\n"
		"global: -n NS  run in network namespace NS (as ip -n)\n"
		"        -j  JSON output   -p  pretty JSON   -v  verbose (repeat for debug)\n");
	return out == stderr ? 2 : 0;
}

static int cmd_help(int argc, char **argv)
{
	return usage(stdout);
}

/* What this kernel offers lagbpf, probed without changing the host. */
static const char *probe_af_xdp(void)
{
	int fd = socket(AF_XDP, SOCK_RAW | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return "no";
	close(fd);
	return "yes (copy mode on veth, zero-copy where the driver has it)";
}

/* tcx (BPF_TCX_INGRESS/EGRESS links) came with Linux 6.6. */
static const char *probe_tcx(const struct utsname *u)
{
	int major = 0, minor = 0;

	if (sscanf(u->release, "%d.%d", &major, &minor) != 2)
		return "unknown";
	return major > 6 || (major == 6 && minor >= 6) ? "yes (Linux >= 6.6)" : "no";
}

static int cmd_version(int argc, char **argv)
{
	struct utsname u;

	printf("lagbpf " LAGBPF_VERSION "\n");
	printf("libbpf %s, libxdp " LAGBPF_LIBXDP_VERSION " (built against)\n",
	       libbpf_version_string());
	if (uname(&u) == 0) {
		printf("kernel %s %s\n", u.release, u.machine);
		printf("  AF_XDP: %s\n", probe_af_xdp());
		printf("  tcx: %s\n", probe_tcx(&u));
	}
	return 0;
}

#define LOCK_WAIT_MS   10000
#define LOCK_WAIT_TEXT "10 s"

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	int locks; /* changes LAGs: takes the host lock */
} verbs[] = {
	{ "attach", cmd_attach, 1 },   { "detach", cmd_detach, 1 },   { "show", cmd_show, 0 },
	{ "set", cmd_set, 1 },	       { "add", cmd_add, 1 },	      { "del", cmd_del, 1 },
	{ "help", cmd_help, 0 },       { "version", cmd_version, 0 }, { "restart", cmd_restart, 1 },
	{ "metrics", cmd_metrics, 0 }, { "monitor", cmd_monitor, 0 }, { "capture", cmd_capture, 0 },
};

int main(int argc, char **argv)
{
	static const struct option opts[] = { { "netns", required_argument, NULL, 'n' },
					      { "json", no_argument, NULL, 'j' },
					      { "pretty", no_argument, NULL, 'p' },
					      { "verbose", no_argument, NULL, 'v' },
					      { "help", no_argument, NULL, 'h' },
					      { "version", no_argument, NULL, 'V' },
					      {} };
	const char *netns = NULL;
	int opt, match = -1, err;
	size_t len;

	lag_log_route_libs();
	/* "+": stop at the verb; its options are its own */
	while ((opt = getopt_long(argc, argv, "+n:jpvhV", opts, NULL)) != -1) {
		switch (opt) {
		case 'n':
			netns = optarg;
			break;
		case 'j':
			cmd_json = 1;
			break;
		case 'p':
			cmd_json = cmd_pretty = 1;
			break;
		case 'v':
			lag_log_verbosity++;
			break;
		case 'h':
			return usage(stdout);
		case 'V':
			return cmd_version(0, NULL);
		default:
			return usage(stderr);
		}
	}
	if (optind >= argc)
		return usage(stderr);
	/* -j, -p and -v may also follow the verb, as in `lagbpf show lag0 -j`. */
	int k = optind + 1;

	for (int i = optind + 1; i < argc; i++) {
		if (!strcmp(argv[i], "-j") || !strcmp(argv[i], "--json"))
			cmd_json = 1;
		else if (!strcmp(argv[i], "-p") || !strcmp(argv[i], "--pretty"))
			cmd_json = cmd_pretty = 1;
		else if (!strcmp(argv[i], "-v") || !strcmp(argv[i], "--verbose"))
			lag_log_verbosity++;
		else
			argv[k++] = argv[i];
	}
	argv[k] = NULL;
	argc = k;
	lag_log_json = cmd_json;
	len = strlen(argv[optind]);
	for (size_t i = 0; i < sizeof(verbs) / sizeof(*verbs); i++) {
		if (strncmp(argv[optind], verbs[i].name, len))
			continue;
		if (strlen(verbs[i].name) == len) {
			match = (int)i;
			break;
		}
		if (match >= 0) {
			lag_err("ambiguous command '%s' (%s or %s)", argv[optind],
				verbs[match].name, verbs[i].name);
			return 2;
		}
		match = (int)i;
	}
	if (match < 0) {
		lag_err("unknown command '%s' (try: lagbpf help)", argv[optind]);
		return 2;
	}
	if (netns) {
		char why[LAG_ERR_LEN];

		if (lag_netns_name_check(netns, why, sizeof(why))) {
			lag_err("%s", why);
			return 1;
		}
		err = lag_netns_enter(netns);
		if (err == -ENOENT && verbs[match].fn == cmd_detach) {
			/* Its namespace is gone: detach removes what the pins left. */
			cmd_orphan_ns = netns;
			err = 0;
		}
		if (err) {
			lag_err("cannot enter network namespace %s: %s", netns, strerror(-err));
			return 1;
		}
	}
	/* Commands that change LAGs run one at a time on a host. They may load
	 * programs and make AF_XDP UMEMs: raise RLIMIT_MEMLOCK where allowed
	 * (a failure is not fatal: root has CAP_IPC_LOCK, maps are not charged
	 * on recent kernels; xsk.c names the limit if it bites).
	 */
	if (verbs[match].locks) {
		struct rlimit unlimited = { RLIM_INFINITY, RLIM_INFINITY };

		if (setrlimit(RLIMIT_MEMLOCK, &unlimited))
			lag_log(LAG_LOG_DEBUG, "RLIMIT_MEMLOCK not raised: %s\n", strerror(errno));
		err = lag_host_lock(LOCK_WAIT_MS);
		if (err) {
			lag_err("%s: %s", verbs[match].name,
				err == -EWOULDBLOCK ? "another lagbpf command is changing LAGs "
						      "(waited " LOCK_WAIT_TEXT "); try again"
						    : strerror(-err));
			return 1;
		}
	}
	argc -= optind;
	argv += optind;
	optind = 0; /* reset getopt for the verb */
	return verbs[match].fn(argc, argv);
}
