/* when.c: times in the reader's own time zone (the system tz database), relative times, and the template functions that show them. */
#include "when.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tmpl.h"

static const char *zoneinfo_dir(void)
{
	const char *d = getenv("TZDIR");
	return d && *d ? d : "/usr/share/zoneinfo";
}

int when_tz_valid(const char *name)
{
	size_t n = name ? strlen(name) : 0;
	if (n == 0 || n > WHEN_TZ_MAX)
		return 0;
	if (strcmp(name, "UTC") == 0)
		return 1;
	for (size_t i = 0; i < n; i++) {
		char c = name[i];
		int seg_start = i == 0 || name[i - 1] == '/';
		if (c == '/') {
			if (seg_start || i == n - 1)
				return 0;	/* leading, trailing or doubled '/' */
			continue;
		}
		if (seg_start && c == '-')
			return 0;
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '+' || c == '-'))
			return 0;
	}
	if (strcmp(name, "localtime") == 0 || strncmp(name, "posixrules", 10) == 0)
		return 0;
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", zoneinfo_dir(), name);
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0 && strchr(name, '/') == NULL)
		return 0;
	if (fd < 0)	/* Debian links some zones (e.g. posix/...) */
		fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	struct stat st;
	char magic[4] = {0};
	int ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && read(fd, magic, 4) == 4 &&
		 memcmp(magic, "TZif", 4) == 0;
	close(fd);
	return ok;
}

const char *when_tz_default(const char *guess, const char *locale)
{
	if (guess && when_tz_valid(guess))
		return guess;
	if (locale && strcmp(locale, "zh-CN") == 0)
		return "Asia/Shanghai";
	return "UTC";
}

/* digits: the value of the n decimal digits at s, or -1 when one is not a
 * digit. */
static int digits(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int when_parse(const char *s, time_t *t)
{
	struct tm tm = {0};
	int y, mo, d, h, mi, sec = 0;

	/* "YYYY-MM-DD HH:MM[:SS]" or with 'T', and whatever follows (a
	 * fraction, a 'Z'), as MariaDB and JSON write times; checked digit by
	 * digit (a sixth of the public page was sscanf here) */
	if (s == NULL || strnlen(s, 16) < 16 || s[4] != '-' || s[7] != '-' ||
	    (s[10] != ' ' && s[10] != 'T') || s[13] != ':')
		return -1;
	y = digits(s, 4);
	mo = digits(s + 5, 2);
	d = digits(s + 8, 2);
	h = digits(s + 11, 2);
	mi = digits(s + 14, 2);
	if (s[16] == ':' && (sec = digits(s + 17, 2)) < 0)
		return -1;
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 ||
	    sec > 60)
		return -1;
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	*t = timegm(&tm);
	return *t == (time_t)-1 ? -1 : 0;
}

/* use_tz: TZ for localtime_r; set again only when it changes (tzset reads
 * the zone file). Nothing else in livecard uses local time. */
static void use_tz(const char *tz)
{
	static char current[WHEN_TZ_MAX + 2];
	char want[WHEN_TZ_MAX + 2];

	snprintf(want, sizeof(want), ":%s", tz && when_tz_valid(tz) ? tz : "UTC");
	if (strcmp(want, current) == 0)
		return;
	strcpy(current, want);
	setenv("TZ", want, 1);
	tzset();
}

char *when_local(time_t t, const char *tz, char *buf, size_t n)
{
	struct tm tm;

	use_tz(tz);
	if (localtime_r(&t, &tm) == NULL || strftime(buf, n, "%Y-%m-%d %H:%M %Z", &tm) == 0)
		snprintf(buf, n, "%lld", (long long)t);
	return buf;
}

/* count_text: Lang.Time.<one> for 1, else Lang.Time.<many> with '#' made k */
static void count_text(const char *locale, const char *one, const char *many, long k, char *buf, size_t n)
{
	char key[32];
	snprintf(key, sizeof(key), "Time.%s", k == 1 ? one : many);
	const char *f = tmpl_text(locale, key);
	const char *hash = strchr(f, '#');
	if (hash)
		snprintf(buf, n, "%.*s%ld%s", (int)(hash - f), f, k, hash + 1);
	else
		snprintf(buf, n, "%s", f);
}

char *when_ago(time_t t, time_t now, const char *tz, const char *locale, char *buf, size_t n)
{
	long long d = (long long)now - (long long)t;

	if (d < -60 || d >= 30LL * 86400)	/* the future, or long ago: the date itself */
		return when_local(t, tz, buf, n);
	if (d < 60)
		snprintf(buf, n, "%s", tmpl_text(locale, "Time.JustNow"));
	else if (d < 3600)
		count_text(locale, "Minute", "Minutes", (long)(d / 60), buf, n);
	else if (d < 86400)
		count_text(locale, "Hour", "Hours", (long)(d / 3600), buf, n);
	else
		count_text(locale, "Day", "Days", (long)(d / 86400), buf, n);
	return buf;
}

static char ctx_tz[WHEN_TZ_MAX + 1] = "UTC";
static char ctx_locale[16] = "en";

void when_context(const char *tz, const char *locale)
{
	snprintf(ctx_locale, sizeof(ctx_locale), "%s", locale ? locale : "en");
	snprintf(ctx_tz, sizeof(ctx_tz), "%s", tz && when_tz_valid(tz) ? tz : when_tz_default(NULL, ctx_locale));
}

/* the template functions: strings in, malloc'd strings out (ClearSilver frees) */
static NEOERR *cs_when(const char *in, char **out, int kind)
{
	char buf[128];
	time_t t;

	if (when_parse(in, &t) != 0) {
		*out = strdup(in ? in : "");
	} else if (kind == 0) {
		struct tm tm;
		gmtime_r(&t, &tm);
		strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
		*out = strdup(buf);
	} else if (kind == 1) {
		*out = strdup(when_local(t, ctx_tz, buf, sizeof(buf)));
	} else {
		*out = strdup(when_ago(t, time(NULL), ctx_tz, ctx_locale, buf, sizeof(buf)));
	}
	return *out ? STATUS_OK : nerr_raise(NERR_NOMEM, "when");
}

static NEOERR *cs_when_iso(const char *in, char **out) { return cs_when(in, out, 0); }
static NEOERR *cs_when_local(const char *in, char **out) { return cs_when(in, out, 1); }
static NEOERR *cs_when_ago(const char *in, char **out) { return cs_when(in, out, 2); }

NEOERR *when_register(CSPARSE *cs)
{
	NEOERR *nerr = cs_register_strfunc(cs, "when_iso", cs_when_iso);
	if (nerr == STATUS_OK)
		nerr = cs_register_strfunc(cs, "when_local", cs_when_local);
	if (nerr == STATUS_OK)
		nerr = cs_register_strfunc(cs, "when_ago", cs_when_ago);
	return nerr;
}
