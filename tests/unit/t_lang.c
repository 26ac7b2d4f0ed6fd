/* t_lang.c: every string key exists in English and in Chinese, and is not empty. */
#include <stdio.h>
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
	is_str(tmpl_text("en", "Nav.SignIn"), "Sign in", "an English string");
	is_str(tmpl_text("zh-CN", "Nav.SignIn"), "登录", "its Chinese counterpart");
	is_str(tmpl_locale("zh_CN"), "zh-CN", "zh_CN maps to zh-CN");
	is_str(tmpl_locale("fr"), "en", "unsupported languages fall back to English");
	return done_testing();
}
