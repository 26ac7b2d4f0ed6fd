/* t_contact.c: unit tests for lib/contact.c (UTF-8, e-mail, phone, URL). */
#include <string.h>

#include "tap.h"
#include "arena.h"
#include "contact.h"

static struct arena A;

static int valid(const char *s)
{
	return utf8_valid(s, strlen(s));
}

static void test_utf8(void)
{
	ok(valid(""), "empty string is valid");
	ok(valid("Zhang Wei"), "ASCII is valid");
	ok(valid("张伟"), "Chinese is valid");
	ok(valid("Ærøskøbing, Ελλάδα, Москва"), "Latin-1, Greek, Cyrillic are valid");
	ok(valid("\xf0\x9f\x98\x80"), "4-byte emoji U+1F600 is valid");
	ok(valid("\xf4\x8f\xbf\xbf"), "U+10FFFF is valid");
	ok(valid("\xef\xbf\xbf"), "U+FFFF is valid");
	ok(valid("\xed\x9f\xbf"), "U+D7FF (just below the surrogates) is valid");
	ok(valid("a\tb\r\nc"), "tab, CR, LF are allowed");
	ok(!valid("\xc0\xaf"), "overlong '/' (C0 AF) rejected");
	ok(!valid("\xc1\xbf"), "overlong C1 BF rejected");
	ok(!valid("\xe0\x80\xaf"), "3-byte overlong rejected");
	ok(!valid("\xf0\x80\x80\xaf"), "4-byte overlong rejected");
	ok(!valid("\xed\xa0\x80"), "surrogate U+D800 rejected");
	ok(!valid("\xed\xbf\xbf"), "surrogate U+DFFF rejected");
	ok(!valid("\xf4\x90\x80\x80"), "U+110000 rejected");
	ok(!valid("\xf5\x80\x80\x80"), "F5 lead byte rejected");
	ok(!valid("\xe5\xbc"), "truncated 3-byte sequence rejected");
	ok(!valid("abc\xe5"), "lead byte at end rejected");
	ok(!valid("\x80"), "lone continuation byte rejected");
	ok(!valid("\xe5\x41\xa0"), "bad continuation byte rejected");
	ok(!valid("\xff"), "FF rejected");
	ok(!utf8_valid("a\0b", 3), "NUL byte rejected");
	ok(!valid("a\x01z"), "C0 control SOH rejected");
	ok(!valid("a\x1b[0m"), "ESC rejected");
	ok(utf8_valid("\xe5\xbc\xa0\xe4", 3), "length bounds the check (valid prefix)");

	is_int(utf8_cut("abcdef", 10), 6, "cut: short string whole");
	is_int(utf8_cut("abcdef", 6), 6, "cut: exact length whole");
	is_int(utf8_cut("abcdef", 3), 3, "cut: ASCII at max");
	/* 张 伟 are 3 bytes each */
	is_int(utf8_cut("张伟", 4), 3, "cut: does not split 伟");
	is_int(utf8_cut("张伟", 5), 3, "cut: does not split 伟 (2 of 3 bytes)");
	is_int(utf8_cut("张伟", 3), 3, "cut: at a boundary");
	is_int(utf8_cut("张伟", 2), 0, "cut: inside the first character gives 0");
	is_int(utf8_cut("a\xf0\x9f\x98\x80", 4), 1, "cut: does not split a 4-byte character");
	is_int(utf8_cut("", 0), 0, "cut: empty");
}

static void test_email(void)
{
	is_str(email_normalize("wei.zhang@example.com", &A), "wei.zhang@example.com", "plain address");
	is_str(email_normalize("  Wei.Zhang@Example.COM \t\n", &A), "wei.zhang@example.com",
	       "trimmed and lower-cased");
	is_str(email_normalize("a+tag@mail.example.co.uk", &A), "a+tag@mail.example.co.uk",
	       "plus and sub-domains");
	is_str(email_normalize("o'brien_x-y@ex-ample.org", &A), "o'brien_x-y@ex-ample.org",
	       "atext specials");
	is_str(email_normalize("张伟@例子.中国", &A), "张伟@例子.中国", "UTF-8 local part and IDN");
	is_str(email_normalize("x@xn--fiqs8s.cn", &A), "x@xn--fiqs8s.cn", "punycode label");
	ok(email_normalize("", &A) == NULL, "empty rejected");
	ok(email_normalize("   ", &A) == NULL, "blank rejected");
	ok(email_normalize("example.com", &A) == NULL, "no @ rejected");
	ok(email_normalize("a@b@example.com", &A) == NULL, "two @ rejected");
	ok(email_normalize("@example.com", &A) == NULL, "empty local part rejected");
	ok(email_normalize("a@localhost", &A) == NULL, "domain without a dot rejected");
	ok(email_normalize("a@-x.com", &A) == NULL, "label starting with - rejected");
	ok(email_normalize("a@x-.com", &A) == NULL, "label ending with - rejected");
	ok(email_normalize("a@x..com", &A) == NULL, "empty label rejected");
	ok(email_normalize("a@x.com.", &A) == NULL, "trailing dot rejected");
	ok(email_normalize("a@x_y.com", &A) == NULL, "underscore in domain rejected");
	ok(email_normalize("a@1.2.3.4", &A) == NULL, "numeric top-level label rejected");
	ok(email_normalize("a b@x.com", &A) == NULL, "space in local part rejected");
	ok(email_normalize("a@x .com", &A) == NULL, "space in domain rejected");
	ok(email_normalize("a\x01@x.com", &A) == NULL, "control character rejected");
	ok(email_normalize(".a@x.com", &A) == NULL, "leading dot rejected");
	ok(email_normalize("a.@x.com", &A) == NULL, "trailing dot in local part rejected");
	ok(email_normalize("a..b@x.com", &A) == NULL, "double dot rejected");
	ok(email_normalize("\"a\"@x.com", &A) == NULL, "quoted local part rejected");
	ok(email_normalize("a@\xc0\xaf.com", &A) == NULL, "invalid UTF-8 rejected");

	char local[80], buf[400];
	memset(local, 'a', 64);
	local[64] = '\0';
	snprintf(buf, sizeof(buf), "%s@x.com", local);
	ok(email_normalize(buf, &A) != NULL, "64-octet local part accepted");
	memset(local, 'a', 65);
	local[65] = '\0';
	snprintf(buf, sizeof(buf), "%s@x.com", local);
	ok(email_normalize(buf, &A) == NULL, "65-octet local part rejected");

	/* 254 in all: "a@" + 4 labels of 61 + "." between and ".com" */
	char dom[300];
	size_t n = 0;
	for (int i = 0; i < 4; i++) {
		memset(dom + n, 'b', 61);
		n += 61;
		dom[n++] = '.';
	}
	memcpy(dom + n, "com", 4);
	snprintf(buf, sizeof(buf), "a@%s", dom);
	is_int(strlen(buf), 253, "built a 253-octet address");
	ok(email_normalize(buf, &A) != NULL, "253 octets accepted");
	snprintf(buf, sizeof(buf), "ab@%s", dom);
	ok(email_normalize(buf, &A) != NULL, "254 octets accepted");
	snprintf(buf, sizeof(buf), "abc@%s", dom);
	ok(email_normalize(buf, &A) == NULL, "255 octets rejected");
	memset(dom, 'c', 64);
	memcpy(dom + 64, ".com", 5);
	snprintf(buf, sizeof(buf), "a@%s", dom);
	ok(email_normalize(buf, &A) == NULL, "64-octet label rejected");
	ok(email_normalize(NULL, &A) == NULL, "NULL gives NULL");
}

static void phone_is(const char *in, const char *cc, const char *want)
{
	is_str(phone_normalize(in, cc, &A), want, "phone '%s' (%s)", in, cc ? cc : "none");
}

static void test_phone(void)
{
	/* the required examples */
	phone_is("+86 138 0013 8000", "CN", "+8613800138000");
	phone_is("13800138000", "CN", "+8613800138000");
	phone_is("138-0013-8000", "CN", "+8613800138000");
	phone_is("0086 138 0013 8000", "CN", "+8613800138000");
	phone_is("010-1234 5678", "CN", "+861012345678");
	phone_is("020 7946 0958", "GB", "+442079460958");
	phone_is("(415) 555-2671", "US", "+14155552671");
	phone_is("1-415-555-2671", "US", "+14155552671");
	phone_is("415.555.2671", "CA", "+14155552671");
	phone_is("+1 (415) 555-2671", "CN", "+14155552671");

	/* extensions are dropped */
	phone_is("+1 415 555 2671 ext. 12", "US", "+14155552671");
	phone_is("+1 415 555 2671 x12", "US", "+14155552671");
	phone_is("+1 415 555 2671x12", "US", "+14155552671");
	phone_is("tel:+1-415-555-2671;ext=12", NULL, "+14155552671");
	phone_is("020 7946 0958 extension 3", "GB", "+442079460958");
	phone_is("020 7946 0958 #3", "GB", "+442079460958");

	/* other countries and prefixes */
	phone_is("030 123456", "DE", "+4930123456");
	phone_is("030 12345678", "DE", "+493012345678");
	phone_is("01 23 45 67 89", "FR", "+33123456789");
	phone_is("06 12 34 56 78", "FR", "+33612345678");
	phone_is("06 1234 5678", "IT", "+390612345678");
	phone_is("+39 06 1234 5678", NULL, "+390612345678");
	phone_is("+44 (0)20 7946 0958", NULL, "+442079460958");
	phone_is("0044 20 7946 0958", "CN", "+442079460958");
	phone_is("011 44 20 7946 0958", "US", "+442079460958");
	phone_is("8 (495) 123-45-67", "RU", "+74951234567");
	phone_is("(495) 123-45-67", "RU", "+74951234567");
	phone_is("03-1234-5678", "JP", "+81312345678");
	phone_is("090-1234-5678", "JP", "+819012345678");
	phone_is("02-312-3456", "KR", "+8223123456");
	phone_is("2345 6789", "HK", "+85223456789");
	phone_is("6123 4567", "SG", "+6561234567");
	phone_is("02 1234 5678", "AU", "+61212345678");
	phone_is("0011 86 138 0013 8000", "AU", "+8613800138000");
	phone_is("98765 43210", "IN", "+919876543210");
	phone_is("(02) 2345-6789", "TW", "+886223456789");
	phone_is("612 345 678", "ES", "+34612345678");
	phone_is("55 1234 5678", "MX", "+525512345678");
	phone_is("(11) 91234-5678", "BR", "+5511912345678");
	phone_is("04 345 6789", "AE", "+97143456789");
	phone_is("86 138 0013 8000", "CN", "+8613800138000");
	phone_is("13800138000", "cn", "+8613800138000");
	phone_is("+358 9 1234567", NULL, "+35891234567");
	phone_is("+420 212 345 678", NULL, "+420212345678");

	/* numbers the hand-written country table got wrong (issue 21), now
	 * read by libphonenumber. Accepted, though no such number exists: */
	ok(phone_normalize("0571 8888888", "CN", &A) == NULL, "Hangzhou landline with 7 digits rejected");
	ok(phone_normalize("+86 10 1234 567", NULL, &A) == NULL, "Beijing landline with 7 digits rejected");
	ok(phone_normalize("+86 138 0013 800", NULL, &A) == NULL, "10-digit Chinese mobile rejected");
	ok(phone_normalize("12345678901", "CN", &A) == NULL, "Chinese 12x 'mobile' rejected");
	ok(phone_normalize("+44 20 7946 095", NULL, &A) == NULL, "London number with 9 digits rejected");
	ok(phone_normalize("+39 6 1234 5678", NULL, &A) == NULL, "Rome number without its leading 0 rejected");
	ok(phone_normalize("04 123 4567", "AE", &A) == NULL, "Dubai 04 1xx xxxx rejected (no such range)");
	ok(phone_normalize("+420 123 456 789", NULL, &A) == NULL, "Czech number starting with 1 rejected");
	ok(phone_normalize("+852 1234 5678", NULL, &A) == NULL, "Hong Kong number starting with 1 rejected");
	ok(phone_normalize("+65 1234 5678", NULL, &A) == NULL, "Singapore number starting with 1 rejected");
	/* and rejected, though they are good numbers: trunk prefixes and
	 * countries the table did not know, Chinese extensions */
	phone_is("0901 234 567", "VN", "+84901234567");
	phone_is("06 1 234 5678", "HU", "+3612345678");
	phone_is("01 55 1234 5678", "MX", "+525512345678");
	phone_is("044 55 1234 5678", "MX", "+525512345678");
	phone_is("011 15 2345-6789", "AR", "+5491123456789");
	phone_is("8 701 234 5678", "KZ", "+77012345678");
	phone_is("081 234 5678", "TH", "+66812345678");
	phone_is("0039 06 1234 5678", NULL, "+390612345678");
	phone_is("010-1234 5678 转 123", "CN", "+861012345678");
	phone_is("010-1234 5678 分机 123", "CN", "+861012345678");
	/* one number written every way gives one string: members match on it */
	phone_is("+86 (0)755 1234 5678", NULL, "+8675512345678");
	phone_is("(0755) 1234-5678", "CN", "+8675512345678");
	phone_is("0086 755 1234 5678", "US", "+8675512345678");
	phone_is("+39 0312 345678", NULL, "+390312345678");
	phone_is("+1 650-253-0000 ext. 7", "GB", "+16502530000");
	ok(phone_normalize("95588", "CN", &A) == NULL, "short service number rejected");
	ok(phone_normalize("转 123", "CN", &A) == NULL, "extension mark without a number rejected");

	/* display: the international form with the country's grouping */
	is_str(phone_display("+8613800139999", &A), "+86 138 0013 9999", "display: CN mobile");
	is_str(phone_display("+16502530000", &A), "+1 650-253-0000", "display: NANP");
	is_str(phone_display("+861012345678", &A), "+86 10 1234 5678", "display: Beijing landline");
	is_str(phone_display("+442079460958", &A), "+44 20 7946 0958", "display: London");
	is_str(phone_display("+390612345678", &A), "+39 06 1234 5678", "display: Rome keeps its 0");
	is_str(phone_display("call me at noon", &A), "call me at noon", "display: text kept as it is");
	is_str(phone_display("+999 1234", &A), "+999 1234", "display: not E.164, kept as it is");
	is_str(phone_display("", &A), "", "display: empty");
	is_str(phone_display(NULL, &A), "", "display: NULL gives empty");
	/* the second time from the process's cache, the same answers; a
	 * colliding or new number still goes to libphonenumber */
	is_str(phone_display("+8613800139999", &A), "+86 138 0013 9999", "display again (cached): CN mobile");
	is_str(phone_display("+999 1234", &A), "+999 1234", "display again (cached): unreadable kept");
	{
		int same = 1;
		char num[32];
		for (int i = 0; i < 5000 && same; i++) {
			snprintf(num, sizeof(num), "+86138%08d", i * 7);
			const char *d1 = phone_display(num, &A), *d2 = phone_display(num, &A);
			same = strcmp(d1, d2) == 0 && strncmp(d1, "+86 138 ", 8) == 0;
		}
		ok(same, "display: 5,000 numbers through the cache, each the same twice");
	}

	/* the stored display forms (cards.phones_shown, tile_phone_shown) */
	{
		const char *s = phone_shown_add(NULL, "+8613800139999", &A);
		char buf[64];
		size_t pos = 0;
		s = phone_shown_add(s, "call me", &A);
		s = phone_shown_add(s, NULL, &A);
		is_str(s, "+8613800139999\t+86 138 0013 9999\ncall me\tcall me\n\t\n", "shown: one line a phone, VALUE<TAB>DISPLAY");
		is_str(phone_shown_next(s, &pos, "+8613800139999", buf, sizeof(buf)), "+86 138 0013 9999", "shown: first line");
		is_str(phone_shown_next(s, &pos, "call me", buf, sizeof(buf)), "call me", "shown: second line");
		is_str(phone_shown_next(s, &pos, "", buf, sizeof(buf)), "", "shown: empty value");
		ok(phone_shown_next(s, &pos, "+8613800139999", buf, sizeof(buf)) == NULL, "shown: past the last line: NULL");
		pos = 0;
		ok(phone_shown_next(s, &pos, "+16502530000", buf, sizeof(buf)) == NULL, "shown: another value's line: NULL");
		is_str(phone_shown_next(s, &pos, "call me", buf, sizeof(buf)), "call me", "shown: and the next line is still the second phone's");
		pos = 0;
		ok(phone_shown_next(s, &pos, "+861380013999", buf, sizeof(buf)) == NULL, "shown: a prefix of the value is not the value");
		pos = 0;
		ok(phone_shown_next(s, &pos, "+8613800139999", buf, 10) == NULL, "shown: too long for buf: NULL");
		pos = 0;
		ok(phone_shown_next(NULL, &pos, "x", buf, sizeof(buf)) == NULL, "shown: NULL (not stored): NULL");
		pos = 0;
		ok(phone_shown_next("+1\tno newline", &pos, "+1", buf, sizeof(buf)) == NULL, "shown: unterminated line: NULL");
	}

	/* rejections */
	ok(phone_normalize("13800138000", NULL, &A) == NULL, "national without a country rejected");
	ok(phone_normalize("13800138000", "ZZ", &A) == NULL, "unknown country rejected");
	ok(phone_normalize("", "CN", &A) == NULL, "empty rejected");
	ok(phone_normalize("call me", "CN", &A) == NULL, "words rejected");
	ok(phone_normalize("138 0013 8000 abc", "CN", &A) == NULL, "trailing letters rejected");
	ok(phone_normalize("12345", "CN", &A) == NULL, "too short for CN rejected");
	ok(phone_normalize("1380013800012345", "CN", &A) == NULL, "too long rejected");
	ok(phone_normalize("+86 138", NULL, &A) == NULL, "too short after + rejected");
	ok(phone_normalize("+1234567890123456", NULL, &A) == NULL, "16 digits rejected");
	ok(phone_normalize("+0 123 4567 890", NULL, &A) == NULL, "country code 0 rejected");
	ok(phone_normalize("+86 +138 0013 8000", NULL, &A) == NULL, "second + rejected");
	ok(phone_normalize("138+0013 8000", "CN", &A) == NULL, "+ inside rejected");
	ok(phone_normalize("(015) 555-2671", "US", &A) == NULL, "NANP area code 0xx rejected");
	ok(phone_normalize("(415) 155-2671", "US", &A) == NULL, "NANP exchange 1xx rejected");
	ok(phone_normalize("415 555 267", "US", &A) == NULL, "9-digit NANP rejected");
	ok(phone_normalize("+44 20 7946", NULL, &A) == NULL, "short GB number rejected");
	ok(phone_normalize("+44 0 0 7946 0958", NULL, &A) == NULL, "GB number with 00 rejected");
	ok(phone_normalize("x12", "US", &A) == NULL, "extension alone rejected");
	ok(phone_normalize("415 555 2671 ext", "US", &A) == NULL, "extension without digits rejected");
	ok(phone_normalize(NULL, "CN", &A) == NULL, "NULL gives NULL");

	is_str(phone_national_digits("+8613800138000", &A), "13800138000", "national: CN");
	is_str(phone_national_digits("+14155552671", &A), "4155552671", "national: NANP");
	is_str(phone_national_digits("+442079460958", &A), "2079460958", "national: GB");
	is_str(phone_national_digits("+85223456789", &A), "23456789", "national: HK (3-digit code)");
	is_str(phone_national_digits("+74951234567", &A), "4951234567", "national: RU");
	is_str(phone_national_digits("+97141234567", &A), "41234567", "national: AE");
	ok(phone_national_digits("13800138000", &A) == NULL, "national: no + gives NULL");
	ok(phone_national_digits("+86 138 0013 8000", &A) == NULL, "national: spaces give NULL");
	ok(phone_national_digits("+861", &A) == NULL, "national: too short gives NULL");
	ok(phone_national_digits(NULL, &A) == NULL, "national: NULL gives NULL");
}

static void test_url(void)
{
	ok(url_valid("https://example.com"), "https host");
	ok(url_valid("http://example.com/"), "http host and path");
	ok(url_valid("HTTPS://Example.COM/a?b=c#d"), "upper-case scheme, query, fragment");
	ok(url_valid("https://example.com:8443/x"), "port");
	ok(url_valid("https://[2001:db8::1]/"), "IPv6 literal");
	ok(url_valid("https://[2001:db8::1]:443"), "IPv6 literal with port");
	ok(url_valid("https://例子.中国/名片"), "IDN host and UTF-8 path");
	ok(url_valid("https://localhost"), "single-label host");
	ok(url_valid("https://example.com?q=1"), "query right after host");
	ok(!url_valid(""), "empty rejected");
	ok(!url_valid("example.com"), "no scheme rejected");
	ok(!url_valid("ftp://example.com"), "ftp rejected");
	ok(!url_valid("javascript:alert(1)"), "javascript: rejected");
	ok(!url_valid("https://"), "no host rejected");
	ok(!url_valid("https:///path"), "empty host rejected");
	ok(!url_valid("https://exa mple.com"), "space rejected");
	ok(!url_valid("https://example.com/a b"), "space in path rejected");
	ok(!url_valid("https://example.com/\x01"), "control char rejected");
	ok(!url_valid("https://example.com/\"><script>"), "quote and angle brackets rejected");
	ok(!url_valid("https://user:pw@example.com"), "user info rejected");
	ok(!url_valid("https://bank.example@evil.example/"), "user info without password rejected");
	ok(!url_valid("https://example.com:99999"), "port out of range rejected");
	ok(!url_valid("https://example.com:"), "empty port rejected");
	ok(!url_valid("https://example.com:8a"), "non-numeric port rejected");
	ok(!url_valid("https://[zz::1]/"), "bad IPv6 literal rejected");
	ok(!url_valid("https://a..b/"), "empty host label rejected");
	ok(!url_valid("https://example.com/\xc0\xaf"), "invalid UTF-8 rejected");
	ok(!url_valid(NULL), "NULL rejected");

	static char big[URL_MAX + 2];
	memcpy(big, "https://example.com/", 20);
	memset(big + 20, 'a', URL_MAX - 20);
	big[URL_MAX] = '\0';
	ok(url_valid(big), "URL of URL_MAX bytes accepted");
	big[URL_MAX] = 'a';
	big[URL_MAX + 1] = '\0';
	ok(!url_valid(big), "URL of URL_MAX + 1 bytes rejected");
}

/* url_linkable: only http(s), mailto and tel may become links (finding 7 of issue 17) */
static void test_linkable(void)
{
	static const char *const yes[] = {
		"http://example.com/", "https://example.com/a?b=c#d", "HTTPS://EXAMPLE.COM",
		"mailto:a@example.com", "MailTo:a@example.com?subject=hi", "tel:+8613800138000", "TEL:+1-555-0100",
		NULL,
	};
	static const char *const no[] = {
		"javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)", "\tjavascript:alert(1)",
		"java\tscript:alert(1)", "java\nscript:alert(1)", "java\rscript:alert(1)", "\x01javascript:alert(1)",
		"javascript\x00:x", "data:text/html,<script>alert(1)</script>", "DATA:text/html;base64,PHNjcmlwdD4=",
		"vbscript:msgbox(1)", "file:///etc/passwd", "ftp://example.com/", "//evil.example/x", "/local/path",
		"example.com", "mailto:", "tel:", "mailto: a@example.com", "tel:+1\n555", " http://example.com/",
		"http://example.com/\x7f", "https:example.com", "http:/example.com", "\xe2\x80\x8bjavascript:alert(1)",
		"mailto:\xff", "", NULL,
	};

	for (int i = 0; yes[i]; i++)
		is_int(url_linkable(yes[i]), 1, "linkable: %s", yes[i]);
	for (int i = 0; no[i]; i++) {
		char shown[64];
		size_t k = 0;
		for (const char *c = no[i]; *c && k + 1 < sizeof(shown); c++)
			shown[k++] = (unsigned char)*c < 0x20 || *c == 0x7f ? '?' : *c;	/* TAP lines stay one line */
		shown[k] = '\0';
		is_int(url_linkable(no[i]), 0, "not linkable: %s", shown);
	}
	is_int(url_linkable(NULL), 0, "not linkable: NULL");
}

int main(void)
{
	arena_init(&A);
	test_linkable();
	test_utf8();
	test_email();
	test_phone();
	test_url();
	arena_reset(&A);
	return done_testing();
}
