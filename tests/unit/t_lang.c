/* t_lang.c: every string key exists in English and in Chinese and is not empty; every Lang key a template uses exists; Accept-Language. */
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "tap.h"
#include "tmpl.h"

static int missing;

/* walk: report keys of a (under prefix) that b lacks or leaves empty. */
static void walk(HDF *a, HDF *b, const char *prefix, const char *bname)
{
	for (HDF *n = hdf_obj_child(a); n; n = hdf_obj_next(n)) {
		char key[512];
		const char *name = hdf_obj_name(n);
		if (strcmp(name, "hdf") == 0 && *prefix == '\0')
			continue;	/* the include path, not a string */
		snprintf(key, sizeof(key), "%s%s%s", prefix, *prefix ? "." : "", name);
		if (hdf_obj_value(n)) {
			const char *v = hdf_get_value(b, key, NULL);
			if (v == NULL || *v == '\0') {
				printf("# %s lacks %s\n", bname, key);
				missing++;
			}
		}
		walk(n, b, key, bname);
	}
}

static size_t count(HDF *h)
{
	size_t n = 0;
	for (HDF *c = hdf_obj_child(h); c; c = hdf_obj_next(c))
		n += (hdf_obj_value(c) ? 1 : 0) + count(c);
	return n;
}

/* template_keys: check every Lang.X that the templates in dir (pages, mails,
 * SMS) reference exists in both languages; returns the number of references. */
static int template_keys(const char *dir, HDF *en, HDF *zh)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int refs = 0;

	if (d == NULL) {
		printf("# cannot open %s\n", dir);
		missing++;
		return 0;
	}
	while ((de = readdir(d)) != NULL) {
		size_t n = strlen(de->d_name);
		char path[1024], *text;
		long len;
		FILE *f;

		if (n < 4 || strcmp(de->d_name + n - 3, ".cs") != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if ((f = fopen(path, "r")) == NULL)
			continue;
		fseek(f, 0, SEEK_END);
		len = ftell(f);
		rewind(f);
		text = calloc(1, (size_t)len + 1);
		if (text && fread(text, 1, (size_t)len, f) == (size_t)len) {
			for (char *p = strstr(text, "Lang."); p; p = strstr(p + 5, "Lang.")) {
				char key[256];
				size_t k = 0;
				if (p > text && (isalnum((unsigned char)p[-1]) || p[-1] == '_' || p[-1] == '.'))
					continue;	/* e.g. Page.Lang.X is not ours */
				for (const char *q = p + 5; (isalnum((unsigned char)*q) || *q == '_' || *q == '.') &&
							    k < sizeof(key) - 1; q++)
					key[k++] = *q;
				while (k > 0 && key[k - 1] == '.')
					k--;	/* a sentence's full stop, or Lang.X[...] */
				key[k] = '\0';
				if (k == 0)
					continue;
				refs++;
				if (hdf_get_obj(en, key) == NULL || hdf_get_obj(zh, key) == NULL) {
					printf("# %s uses Lang.%s:%s%s\n", path, key,
					       hdf_get_obj(en, key) ? "" : " not in en",
					       hdf_get_obj(zh, key) ? "" : " not in zh-CN");
					missing++;
				}
			}
		}
		free(text);
		fclose(f);
	}
	closedir(d);
	return refs;
}

int main(void)
{
	cfg.templates_dir = "templates";
	ok(tmpl_init() == 0, "both language files load (with their module includes)");
	HDF *en = tmpl_lang("en"), *zh = tmpl_lang("zh-CN");
	ok(en && zh && en != zh, "two distinct languages");
	ok(count(en) > 100, "English has strings (%zu)", count(en));
	missing = 0;
	walk(en, zh, "", "zh-CN");
	is_int(missing, 0, "every English key exists in Chinese");
	missing = 0;
	walk(zh, en, "", "en");
	is_int(missing, 0, "every Chinese key exists in English");
	missing = 0;
	int refs = template_keys("templates", en, zh);
	is_int(missing, 0, "every Lang key a page template uses exists in both languages (%d uses)", refs);
	missing = 0;
	refs = template_keys("templates/mail", en, zh);
	is_int(missing, 0, "every Lang key a mail template uses exists in both languages (%d uses)", refs);
	ok(refs > 10, "the mail templates use Lang keys");
	missing = 0;
	refs = template_keys("templates/sms", en, zh);
	is_int(missing, 0, "every Lang key an SMS template uses exists in both languages (%d uses)", refs);
	ok(refs > 5, "the SMS templates use Lang keys");
	ok(strcmp(tmpl_text("zh-CN", "Errors.repeated_field"), "Errors.repeated_field") != 0,
	   "lang/<locale>/<module>.hdf files load without an #include line");
	is_str(tmpl_text("en", "Nav.SignIn"), "Sign in", "an English string");
	is_str(tmpl_text("zh-CN", "Nav.SignIn"), "登录", "its Chinese counterpart");
	is_str(tmpl_locale("zh_CN"), "zh-CN", "zh_CN maps to zh-CN");
	is_str(tmpl_locale("fr"), "en", "unsupported languages fall back to English");

	/* Accept-Language: q-values, Chinese variants, unsupported languages */
	is_str(tmpl_accept_language("zh-CN"), "zh-CN", "Accept-Language zh-CN");
	is_str(tmpl_accept_language("zh"), "zh-CN", "zh maps to zh-CN");
	is_str(tmpl_accept_language("zh-Hans"), "zh-CN", "zh-Hans maps to zh-CN");
	is_str(tmpl_accept_language("zh-Hans-CN,en;q=0.5"), "zh-CN", "zh-Hans-CN first");
	is_str(tmpl_accept_language("en-US,en;q=0.9"), "en", "English");
	is_str(tmpl_accept_language("en;q=0.4, zh-CN;q=0.8"), "zh-CN", "the higher q-value wins, not the first listed");
	is_str(tmpl_accept_language("zh;q=0.4,EN-gb;q=0.8"), "en", "case-insensitive tags, q honoured");
	is_str(tmpl_accept_language("fr-FR,fr;q=0.9,zh;q=0.3"), "zh-CN", "unsupported languages are skipped");
	ok(tmpl_accept_language("fr-FR,de;q=0.9") == NULL, "nothing supported: NULL (the site default applies)");
	ok(tmpl_accept_language("zh;q=0, fr") == NULL, "q=0 means not acceptable");
	is_str(tmpl_accept_language("zh;q=0.5,en;q=0.5"), "zh-CN", "equal q-values: the first listed");
	ok(tmpl_accept_language("zhx,enx-US") == NULL, "only whole primary subtags count");
	ok(tmpl_accept_language("") == NULL, "an empty header");
	ok(tmpl_accept_language("zh;q=abc") == NULL, "a malformed q-value ignores the language");
	is_str(tmpl_accept_language(" zh-TW ; q=0.9 , en ; q=0.1"), "zh-CN", "spaces around tags and parameters");
	return done_testing();
}
