/* config.c: read conf/livecard.hdf (or $LIVECARD_CONF) once per process. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ClearSilver.h>

#include "log.h"

#ifndef LIVECARD_DEFAULT_CONF
#define LIVECARD_DEFAULT_CONF "conf/livecard.hdf"
#endif

struct config cfg;
static HDF *conf_hdf;

const char *config_get(const char *key, const char *def)
{
	const char *v = conf_hdf ? hdf_get_value(conf_hdf, key, NULL) : NULL;
	return (v && *v) ? v : def;
}

long config_get_int(const char *key, long def)
{
	const char *v = config_get(key, NULL);
	char *end;
	long n;

	if (v == NULL)
		return def;
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno || *end || end == v) {
		log_warn("config: %s is not an integer, using %ld", key, def);
		return def;
	}
	return n;
}

int config_load(const char *path)
{
	NEOERR *nerr;

	if (path == NULL)
		path = getenv("LIVECARD_CONF");
	if (path == NULL)
		path = LIVECARD_DEFAULT_CONF;
	if (conf_hdf)
		hdf_destroy(&conf_hdf);
	nerr = hdf_init(&conf_hdf);
	if (nerr == STATUS_OK)
		nerr = hdf_read_file(conf_hdf, path);
	if (nerr != STATUS_OK) {
		STRING s;
		string_init(&s);
		nerr_error_string(nerr, &s);
		fprintf(stderr, "livecard: cannot read config %s: %s\n", path, s.buf ? s.buf : "?");
		string_clear(&s);
		nerr_ignore(&nerr);
		return -1;
	}

	cfg.base_url = config_get("Site.BaseURL", "http://127.0.0.1:8080");
	cfg.site_name = config_get("Site.Name", "livecard");
	cfg.default_locale = config_get("Site.DefaultLocale", "en");
	cfg.default_country = config_get("Site.DefaultCountry", "CN");
	cfg.trusted_proxies = config_get("Site.TrustedProxies", "");
	cfg.templates_dir = config_get("Paths.Templates", "templates");
	cfg.db_socket = config_get("DB.Socket", NULL);
	cfg.db_host = config_get("DB.Host", NULL);
	cfg.db_port = (unsigned)config_get_int("DB.Port", 0);
	cfg.db_user = config_get("DB.User", "root");
	cfg.db_password = config_get("DB.Password", NULL);
	cfg.db_name = config_get("DB.Name", "livecard");
	cfg.body_max = (size_t)config_get_int("Limits.BodyBytes", 1048576);
	cfg.image_max = (size_t)config_get_int("Limits.ImageBytes", 10485760);
	cfg.import_max = (size_t)config_get_int("Limits.ImportBytes", 33554432);
	cfg.dav_report_max = (size_t)config_get_int("Limits.DAVReportBytes", 8388608);
	cfg.dav_report_hrefs = (size_t)config_get_int("Limits.DAVReportHrefs", 100000);
	cfg.multipart_parts = (size_t)config_get_int("Limits.MultipartParts", 16);
	cfg.form_parts = (size_t)config_get_int("Limits.FormParts", 400);
	if (cfg.multipart_parts > 16)
		cfg.multipart_parts = 16;	/* REQ_MAX_UPLOADS */
	cfg.session_seconds = config_get_int("Session.LifetimeSeconds", 1209600);
	cfg.verify_seconds = config_get_int("Session.VerifyLinkSeconds", 172800);
	cfg.reset_seconds = config_get_int("Session.ResetLinkSeconds", 3600);
	cfg.throttle_failures = (int)config_get_int("Throttle.SignInFailures", 5);
	cfg.throttle_addr_failures = (int)config_get_int("Throttle.AddressFailures", 30);
	cfg.throttle_window = config_get_int("Throttle.WindowSeconds", 900);
	cfg.smtp_url = config_get("Mail.SMTPURL", "smtp://127.0.0.1:8025");
	cfg.smtp_user = config_get("Mail.User", NULL);
	cfg.smtp_password = config_get("Mail.Password", NULL);
	cfg.smtp_starttls = (int)config_get_int("Mail.StartTLS", 0);
	cfg.mail_from = config_get("Mail.From", "livecard@localhost");
	cfg.outbox_poll_ms = config_get_int("Outbox.PollMillis", 1000);
	cfg.outbox_max_attempts = (int)config_get_int("Outbox.MaxAttempts", 12);
	cfg.outbox_backoff = config_get_int("Outbox.BackoffSeconds", 5);
	cfg.outbox_timeout = config_get_int("Outbox.TimeoutSeconds", 20);
	cfg.log_level = config_get("Log.Level", "info");
	log_set_level(log_level_parse(cfg.log_level));
	return 0;
}
