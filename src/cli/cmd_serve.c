/* s75 serve: the web dashboard over this workspace (src/web/). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../web/web.h"
#include "cli.h"

/* A whole number of `unit` in [1, max]; -1 after an error. */
static int whole_number(const char *opt, const char *s, long max, const char *unit)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (*end || !*s || v < 1 || v > max || errno) {
		cli_error("--%s needs a number of %s from 1 to %ld", opt, unit, max);
		return -1;
	}
	return (int)v;
}

int cmd_serve(int argc, char **argv, cli_ctx *ctx)
{
	const char *listen = "127.0.0.1:8075", *cert = NULL, *key = NULL, *idle = NULL,
		   *absolute = NULL, *threads = NULL, *access_log = NULL;
	int insecure = 0, first;
	const cli_opt opts[] = {
		{"listen", 0, OPT_STRING, "ADDR", "HOST:PORT or [V6]:PORT to listen on (default 127.0.0.1:8075; port 0: any free one)", &listen},
		{"tls-cert", 0, OPT_STRING, "FILE", "serve HTTPS with this PEM certificate (and --tls-key)", &cert},
		{"tls-key", 0, OPT_STRING, "FILE", "the certificate's PEM private key", &key},
		{"insecure-listen", 0, OPT_FLAG, NULL, "allow plain HTTP on an address other than loopback (behind a reverse proxy)", &insecure},
		{"idle-timeout", 0, OPT_STRING, "SECONDS", "end a session unused this long (default 1800)", &idle},
		{"absolute-timeout", 0, OPT_STRING, "SECONDS", "end a session this old (default 43200)", &absolute},
		{"threads", 0, OPT_STRING, "N", "worker threads (default 4)", &threads},
		{"access-log", 0, OPT_STRING, "FILE", "append a line per request to FILE: when, from where, who, what, the status, the bytes and the microseconds taken", &access_log},
		{0},
	};
	const cli_spec spec = {
		"serve", "[--listen ADDR] [--tls-cert FILE --tls-key FILE] [--insecure-listen]",
		"Serves the pool's web dashboard over this workspace until interrupted: the pools\n"
		"at a glance, monitoring with its drill-down, the reports, KPIs, governance, batches\n"
		"with the upload of a ledger extract, and the audit log, each account seeing what its\n"
		"role allows ('s75 user add'). Plain HTTP only on loopback unless --insecure-listen;\n"
		"see docs/web.md and docs/deploy.md. Prints the address it listens on.",
		opts, 0, 0};
	int rc = cli_parse(&spec, argc, argv, &first);
	if (rc)
		return rc < 0 ? EXIT_USAGE : EXIT_OK;
	web_config cfg = WEB_CONFIG_INIT;
	cfg.listen = listen;
	cfg.tls_cert = cert;
	cfg.tls_key = key;
	cfg.insecure_listen = insecure;
	cfg.db_path = CLI_DB_PATH;
	cfg.access_log = access_log;
	if (idle && (cfg.policy.idle_timeout = whole_number("idle-timeout", idle, 86400, "seconds")) < 0)
		return EXIT_USAGE;
	if (absolute &&
	    (cfg.policy.absolute_timeout = whole_number("absolute-timeout", absolute, 604800, "seconds")) < 0)
		return EXIT_USAGE;
	if (threads && (cfg.threads = whole_number("threads", threads, 64, "threads")) < 0)
		return EXIT_USAGE;
	if (access("/usr/bin/chromium", X_OK) == 0)
		cfg.chromium = "/usr/bin/chromium";
	if (mkdir(cfg.upload_dir, 0700) && errno != EEXIST) {
		cli_error("cannot create '%s': %s", cfg.upload_dir, strerror(errno));
		return EXIT_BAD_INPUT;
	}
	/* the server's threads inherit a mask with these blocked; this thread waits for them */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	web_server *srv;
	char err[512];
	if (web_start(&srv, &cfg, ctx->ag, err, sizeof(err))) {
		cli_error("%s", err);
		return EXIT_BAD_INPUT;
	}
	const char *host = listen;
	const char *colon = strrchr(listen, ':');
	printf("s75 serve: listening on %s://%.*s:%d/\n", cert ? "https" : "http",
	       (int)(colon - host), host, web_port(srv));
	fflush(stdout);
	int sig = 0;
	sigwait(&set, &sig);
	web_stop(srv);
	return EXIT_OK;
}
