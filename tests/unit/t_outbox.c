/* t_outbox.c: the outgoing channels are one list: enum outbox_channel, outbox_channels[] and the SQL ENUM of outbox.channel in sql/ agree. */
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "outbox.h"

/* last_channel_enum: the value list of the last "channel ENUM(" that
 * sql/NNN_*.sql gives the outbox table (migrations in order), in buf. */
static int last_channel_enum(char *buf, size_t n)
{
	char line[1024];
	glob_t g;
	int found = 0;

	if (glob("sql/[0-9][0-9][0-9]_*.sql", 0, NULL, &g) != 0)	/* sorted: migration order */
		return 0;
	for (size_t k = 0; k < g.gl_pathc; k++) {
		FILE *f = fopen(g.gl_pathv[k], "r");
		int in_outbox = 0;
		if (f == NULL)
			continue;
		while (fgets(line, sizeof(line), f)) {
			char *p = strstr(line, "channel ENUM(");
			if (strstr(line, "TABLE outbox") || strstr(line, "TABLE `outbox`"))
				in_outbox = 1;
			else if (strstr(line, "TABLE "))
				in_outbox = 0;
			if (in_outbox && p) {
				p += strlen("channel ENUM(");
				snprintf(buf, n, "%.*s", (int)strcspn(p, ")"), p);
				found = 1;
			}
		}
		fclose(f);
	}
	globfree(&g);
	return found;
}

int main(void)
{
	char sqlenum[256], ours[256] = "";

	for (int c = 0; c < OUTBOX__MAX; c++) {
		const char *name = outbox_channel_name((enum outbox_channel)c);
		ok(name && *name, "channel %d has a name (%s)", c, name ? name : "");
		is_int(outbox_channel_lookup(name), c, "and is found by it");
		snprintf(ours + strlen(ours), sizeof(ours) - strlen(ours), "%s'%s'", c ? ", " : "", name);
	}
	is_int(outbox_channel_lookup("fax"), OUTBOX__MAX, "an unknown name is OUTBOX__MAX");
	ok(last_channel_enum(sqlenum, sizeof(sqlenum)), "sql/ declares outbox.channel as an ENUM");
	is_str(sqlenum, ours, "its values are the channels, in the enum's order");
	return done_testing();
}
