/* t_when.c: lib/when.c: time-zone names checked against the system tz database, UTC times parsed, shown in a zone, and relative words in both languages. */
#include <string.h>
#include <time.h>

#include "config.h"
#include "tap.h"
#include "tmpl.h"
#include "when.h"

int main(void)
{
	char buf[128];
	time_t t;

	/* zones of the database, and names that are not */
	ok(when_tz_valid("Asia/Shanghai"), "Asia/Shanghai is a zone");
	ok(when_tz_valid("America/Argentina/Buenos_Aires"), "three segments");
	ok(when_tz_valid("Etc/GMT+8"), "Etc/GMT+8 (a plus sign)");
	ok(when_tz_valid("UTC"), "UTC");
	const char *bad[] = {"", "Mars/Olympus", "../../etc/passwd", "/etc/localtime", "Asia//Shanghai",
			     "Asia/Shanghai/", "Asia/../Asia/Tokyo", "localtime", "posixrules", "Asia/Shang hai",
			     "Asia/Shanghai\n", "-Asia", "zone.tab", "Asia", NULL};
	for (int i = 0; bad[i]; i++)
		ok(!when_tz_valid(bad[i]), "\"%s\" is no zone", bad[i]);
	char longname[80];
	memset(longname, 'A', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	ok(!when_tz_valid(longname), "nor a name longer than %d bytes", WHEN_TZ_MAX);
	ok(!when_tz_valid(NULL), "nor NULL");

	/* defaults */
	is_str(when_tz_default("Europe/Berlin", "en"), "Europe/Berlin", "the browser's guess when it is a zone");
	is_str(when_tz_default("Nowhere", "zh-CN"), "Asia/Shanghai", "else Asia/Shanghai for zh-CN");
	is_str(when_tz_default(NULL, "en"), "UTC", "else UTC");

	/* parsing what MariaDB and the JSON API write */
	ok(when_parse("2026-12-07 12:09:36", &t) == 0 && t == 1796645376, "a DATETIME");
	ok(when_parse("2026-12-07T12:09:36Z", &t) == 0 && t == 1796645376, "a JSON time");
	ok(when_parse("2026-12-07 12:09:36.123456", &t) == 0 && t == 1796645376, "fractions ignored");
	ok(when_parse("2026-12-07 12:09", &t) == 0 && t == 1796645340, "minutes only");
	ok(when_parse("2026-02-28 23:59:59", &t) == 0 && t == 1772323199, "the last second of a day");
	ok(when_parse("2026-1a-07 12:09", &t) != 0 && when_parse("2026-12-07 12:9:00", &t) != 0 &&
	   when_parse("2026-12-07 12:09:x0", &t) != 0 && when_parse("2026-12-07 24:00", &t) != 0 &&
	   when_parse("1969-12-31 23:59", &t) != 0 && when_parse("2026-12-07+12:09", &t) != 0 &&
	   when_parse("2026-12-07 12:0", &t) != 0, "a malformed or impossible time is refused");
	ok(when_parse("yesterday", &t) != 0 && when_parse("", &t) != 0 && when_parse(NULL, &t) != 0,
	   "anything else is no time");
	ok(when_parse("2026-13-07 12:09:36", &t) != 0, "nor month 13");
	is_int(strlen(when_local(0, "UTC", buf, sizeof(buf))), 20, "the local form has a fixed width");

	/* shown in a zone */
	when_parse("2026-12-07 12:09:36", &t);
	is_str(when_local(t, "Asia/Shanghai", buf, sizeof(buf)), "2026-12-07 20:09 CST", "in Shanghai");
	is_str(when_local(t, "America/New_York", buf, sizeof(buf)), "2026-12-07 07:09 EST", "in New York");
	is_str(when_local(t, "Asia/Kolkata", buf, sizeof(buf)), "2026-12-07 17:39 IST", "half an hour off");
	is_str(when_local(t, "../../etc/passwd", buf, sizeof(buf)), "2026-12-07 12:09 UTC", "a bad zone is UTC");
	time_t summer;
	when_parse("2026-07-01 12:00:00", &summer);
	is_str(when_local(summer, "Europe/London", buf, sizeof(buf)), "2026-07-01 13:00 BST", "summer time");

	/* relative, in both languages */
	cfg.templates_dir = "templates";
	ok(tmpl_init() == 0, "the language files load");
	is_str(when_ago(t, t + 20, "UTC", "en", buf, sizeof(buf)), "just now", "20 s: just now");
	is_str(when_ago(t, t + 60, "UTC", "en", buf, sizeof(buf)), "1 minute ago", "1 minute");
	is_str(when_ago(t, t + 180, "UTC", "en", buf, sizeof(buf)), "3 minutes ago", "3 minutes");
	is_str(when_ago(t, t + 180, "UTC", "zh-CN", buf, sizeof(buf)), "3 分钟前", "3 分钟前");
	is_str(when_ago(t, t + 7200, "UTC", "en", buf, sizeof(buf)), "2 hours ago", "2 hours");
	is_str(when_ago(t, t + 3 * 86400, "UTC", "zh-CN", buf, sizeof(buf)), "3 天前", "3 天前");
	is_str(when_ago(t, t + 40 * 86400, "Asia/Shanghai", "zh-CN", buf, sizeof(buf)), "2026-12-07 20:09 CST",
	       "long ago: the local date and time");
	is_str(when_ago(t, t - 86400, "UTC", "en", buf, sizeof(buf)), "2026-12-07 12:09 UTC",
	       "the future: the local date and time");
	return done_testing();
}
