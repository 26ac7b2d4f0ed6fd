/* t_outbox.c: the outgoing channels are one list: enum outbox_channel and outbox_channels[] drive the SQL ENUM of outbox.channel in sql/, the member's setting (a users column in sql/, the settings page's input and value), the fan-out of card updates (lib/updates.c) and the owner's message about a saver (lib/savers.c); this fails when a channel is missing from one of them. */
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "outbox.h"
#include "savers.h"
#include "updates.h"

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

/* file_has: whether one of the files matching pattern contains text. */
static int file_has(const char *pattern, const char *text)
{
	char line[4096];
	glob_t g;
	int found = 0;

	if (glob(pattern, 0, NULL, &g) != 0)
		return 0;
	for (size_t k = 0; k < g.gl_pathc && !found; k++) {
		FILE *f = fopen(g.gl_pathv[k], "r");
		if (f == NULL)
			continue;
		while (!found && fgets(line, sizeof(line), f))
			found = strstr(line, text) != NULL;
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
		const struct outbox_channel_def *d = &outbox_channels[c];
		char want[256];
		ok(d->setting && *d->setting && d->column && *d->column && d->hdf && *d->hdf && d->wants && *d->wants,
		   "%s: a setting, its users column, its settings page value and who wants it", name);
		snprintf(want, sizeof(want), "ADD COLUMN %s ", d->column);
		ok(file_has("sql/[0-9][0-9][0-9]_*.sql", want) ||
		   (snprintf(want, sizeof(want), "  %s ", d->column), file_has("sql/[0-9][0-9][0-9]_*.sql", want)),
		   "%s: sql/ gives users the column %s", name, d->column);
		snprintf(want, sizeof(want), "name=\"%s\"", d->column);
		ok(file_has("templates/settings.cs", want), "%s: the settings form has the input %s", name, d->column);
		snprintf(want, sizeof(want), "Settings.%s", d->hdf);
		ok(file_has("templates/settings.cs", want), "%s: the settings page shows %s", name, want);
		ok(updates_channel_fans_out((enum outbox_channel)c), "%s: card updates are fanned out on it", name);
		ok(savers_channel_tells((enum outbox_channel)c), "%s: a card's owner is told of its savers on it", name);
		snprintf(ours + strlen(ours), sizeof(ours) - strlen(ours), "%s'%s'", c ? ", " : "", name);
	}
	is_int(outbox_channel_lookup("fax"), OUTBOX__MAX, "an unknown name is OUTBOX__MAX");
	ok(last_channel_enum(sqlenum, sizeof(sqlenum)), "sql/ declares outbox.channel as an ENUM");
	is_str(sqlenum, ours, "its values are the channels, in the enum's order");
	return done_testing();
}
