/* when.h: times in the reader's own time zone (the system tz database), relative times, and the template functions that show them. */
#ifndef LIVECARD_WHEN_H
#define LIVECARD_WHEN_H

#include <stddef.h>
#include <time.h>

#include <ClearSilver.h>

#define WHEN_TZ_MAX 64	/* longest time-zone name accepted */

/* when_tz_valid: 1 when name is a zone of the system tz database
 * ($TZDIR, else /usr/share/zoneinfo): [A-Za-z0-9_+-] segments joined by
 * '/' (no dots), at most WHEN_TZ_MAX bytes, naming a TZif
 * file ("UTC" always); else 0. */
int when_tz_valid(const char *name);

/* when_tz_default: the zone to use when the member chose none: guess (the
 * browser's, e.g. the lc_tz cookie) when valid, else Asia/Shanghai for
 * zh-CN, else UTC. Returns guess or a literal. */
const char *when_tz_default(const char *guess, const char *locale);

/* when_parse: a UTC time as MariaDB ("2026-12-07 12:09:36", fraction
 * ignored; "2026-12-07 12:09" too) or JSON ("2026-12-07T12:09:36Z")
 * writes it, into *t; 0, or -1 when s is none of these. */
int when_parse(const char *s, time_t *t);

/* when_local: t in zone tz as "2026-12-07 20:09 CST" into buf (size n);
 * buf. An invalid tz is UTC. */
char *when_local(time_t t, const char *tz, char *buf, size_t n);

/* when_ago: how long before now t was, in locale's words from the
 * language strings Lang.Time.* ("just now", "3 minutes ago", "3 分钟前",
 * up to days; older or future times: the local date-time of when_local);
 * into buf (size n); buf. */
char *when_ago(time_t t, time_t now, const char *tz, const char *locale, char *buf, size_t n);

/* when_context: the zone and language the template functions of the next
 * renders use (a worker renders one page at a time); NULL tz: the
 * default of locale. */
void when_context(const char *tz, const char *locale);

/* when_register: the template functions on a parse tree:
 * when_iso(t) (the datetime attribute, UTC), when_local(t) (exact local
 * time), when_ago(t) (relative, in the page's language); each gives back
 * t unchanged when t is no time. */
NEOERR *when_register(CSPARSE *cs);

#endif
