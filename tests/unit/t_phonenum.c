/* t_phonenum.c: unit tests of the libphonenumber shim (lib/phonenum.h). */
#include <stdio.h>
#include <string.h>

#include "phonenum.h"
#include "tap.h"

static void e164_is(const char *in, const char *region, const char *want)
{
	char out[PHONENUM_MAX];
	int r = phonenum_e164(in, region, out);

	if (want) {
		ok(r == 1, "'%s' (%s) is valid", in, region ? region : "none");
		is_str(out, want, "'%s' (%s) in E.164", in, region ? region : "none");
	} else {
		ok(r == 0 && out[0] == '\0', "'%s' (%s) is rejected", in, region ? region : "none");
	}
}

static void intl_is(const char *e164, int want_r, const char *want)
{
	char out[PHONENUM_MAX];
	int r = phonenum_international(e164, out);

	is_int(r, want_r, "international of '%s' returns %d", e164 ? e164 : "NULL", want_r);
	is_str(out, want, "international of '%s'", e164 ? e164 : "NULL");
}

static void region_is(const char *e164, const char *want)
{
	char out[3];
	int r = phonenum_region(e164, out);

	is_int(r, want[0] != '\0', "region of '%s' found: %d", e164 ? e164 : "NULL", want[0] != '\0');
	is_str(out, want, "region of '%s'", e164 ? e164 : "NULL");
}

int main(void)
{
	e164_is("+8613800139999", NULL, "+8613800139999");
	e164_is("13800139999", "CN", "+8613800139999");
	e164_is("13800139999", "cn", "+8613800139999");
	e164_is("01012345678", "CN", "+861012345678");
	e164_is("6502530000", "US", "+16502530000");
	e164_is("16502530000", "US", "+16502530000");
	e164_is("01144207946095", "US", NULL);	/* 9-digit London number */
	e164_is("011442079460958", "US", "+442079460958");
	e164_is("00442079460958", NULL, "+442079460958");
	e164_is("00442079460958", "", "+442079460958");
	e164_is("00442079460958", "US", "+442079460958");	/* US: 011, but 00 is read */
	e164_is("0612345678", "IT", "+390612345678");
	e164_is("13800139999", NULL, NULL);	/* national, no region */
	e164_is("13800139999", "ZZ", NULL);
	e164_is("13800139999", "CHN", NULL);	/* not alpha-2 */
	e164_is("13800139999", "C1", NULL);
	e164_is("+86 138 0013 9999", NULL, NULL);	/* contact.c strips punctuation */
	e164_is("+", NULL, NULL);
	e164_is("", "CN", NULL);
	e164_is("++8613800139999", NULL, NULL);
	e164_is("+0123456789", NULL, NULL);
	e164_is("+99912345678", NULL, NULL);	/* no country +999 */
	e164_is(NULL, "CN", NULL);

	intl_is("+8613800139999", 1, "+86 138 0013 9999");
	intl_is("+16502530000", 1, "+1 650-253-0000");
	intl_is("+74951234567", 1, "+7 495 123-45-67");
	intl_is("+819012345678", 1, "+81 90-1234-5678");
	intl_is("+4930123456", 1, "+49 30 123456");
	intl_is("+99912345678", 0, "+99912345678");
	intl_is("0123", 0, "0123");
	intl_is("+86 138", 0, "+86 138");
	intl_is(NULL, 0, "");

	/* the cache of international forms: the same answer from it, and
	 * still right after it has been filled and emptied */
	intl_is("+8613800139999", 1, "+86 138 0013 9999");
	{
		char e164[32], out[PHONENUM_MAX];
		int good = 1;
		for (int i = 0; i < 1100; i++) {
			snprintf(e164, sizeof(e164), "+861380013%04d", i);
			char want[32];
			snprintf(want, sizeof(want), "+86 138 0013 %04d", i);
			good &= phonenum_international(e164, out) == 1 && strcmp(out, want) == 0;
		}
		ok(good, "1100 numbers through the cache, each formatted right");
	}
	intl_is("+16502530000", 1, "+1 650-253-0000");

	/* the country of a member's number (the OCR's default country) */
	region_is("+8613800139999", "CN");
	region_is("+12024561111", "US");
	region_is("+442079460958", "GB");
	region_is("+14165550123", "CA");	/* +1 is shared: the area code decides */
	region_is("+861", "");			/* not valid */
	region_is("13800139999", "");		/* not E.164 */
	region_is("", "");
	region_is(NULL, "");
	return done_testing();
}
