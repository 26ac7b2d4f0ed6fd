/* config.h: the process-wide settings, read once from one HDF file. */
#ifndef LIVECARD_CONFIG_H
#define LIVECARD_CONFIG_H

#include <stddef.h>

struct config {
	/* Site */
	const char *base_url;		/* Site.BaseURL, no trailing slash */
	const char *site_name;		/* Site.Name */
	const char *default_locale;	/* Site.DefaultLocale: en or zh-CN */
	const char *default_country;	/* Site.DefaultCountry: ISO 3166 alpha-2 */
	const char *trusted_proxies;	/* Site.TrustedProxies: space-separated IPs */
	/* Paths */
	const char *templates_dir;	/* Paths.Templates */
	/* Database */
	const char *db_socket, *db_host, *db_user, *db_password, *db_name;
	unsigned db_port;
	/* Limits */
	size_t body_max;		/* Limits.BodyBytes: JSON and forms */
	size_t image_max;		/* Limits.ImageBytes */
	size_t import_max;		/* Limits.ImportBytes: vCard uploads */
	size_t dav_report_max;		/* Limits.DAVReportBytes: a CardDAV REPORT's XML */
	size_t dav_report_hrefs;	/* Limits.DAVReportHrefs: hrefs of one multiget */
	size_t multipart_parts;		/* Limits.MultipartParts: file parts of a form (≤ 16) */
	size_t form_parts;		/* Limits.FormParts: all parts of a multipart form */
	/* Sessions and throttling */
	long session_seconds;		/* Session.LifetimeSeconds */
	long verify_seconds;		/* Session.VerifyLinkSeconds */
	long reset_seconds;		/* Session.ResetLinkSeconds */
	int throttle_failures;		/* Throttle.SignInFailures: per account */
	int throttle_addr_failures;	/* Throttle.AddressFailures: per client address */
	long throttle_window;		/* Throttle.WindowSeconds */
	/* Mail and outbox */
	const char *smtp_url;		/* Mail.SMTPURL: smtp://host:port or smtps:// */
	const char *smtp_user, *smtp_password;
	int smtp_starttls;		/* Mail.StartTLS: 0 none, 1 try, 2 required */
	const char *mail_from;		/* Mail.From */
	long outbox_poll_ms;		/* Outbox.PollMillis */
	int outbox_max_attempts;	/* Outbox.MaxAttempts */
	long outbox_backoff;		/* Outbox.BackoffSeconds: first retry delay */
	long outbox_timeout;		/* Outbox.TimeoutSeconds: per delivery */
	/* Logging */
	const char *log_level;		/* Log.Level */
};

/* The settings of this process; valid after config_load succeeded. */
extern struct config cfg;

/* config_load: read path (or $LIVECARD_CONF, or the compiled-in default
 * when path is NULL) into cfg, with defaults for every missing key.
 * Returns 0, or -1 with a message on stderr. Strings stay valid for the
 * life of the process. */
int config_load(const char *path);

/* config_get: any other key of the loaded file ("SMS.URL"), or def. */
const char *config_get(const char *key, const char *def);

/* config_get_int: integer value of a key, or def when absent/invalid. */
long config_get_int(const char *key, long def);

#endif
