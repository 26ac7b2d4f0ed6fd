/* t_cardfields.c: unit tests for lib/cardfields.c (fields of a business card from OCR lines). */
#include <string.h>

#include "tap.h"
#include "arena.h"
#include "cardfields.h"

static struct arena A;

/* L: a line of text at (x, y) with height h, confidence 90 */
#define L(text, x, y, h) {text, x, y, (int)(strlen(text) * (h) / 2), h, 90, 0}

static void extract(const struct ocr_line *lines, size_t n, struct cardfields *f)
{
	cardfields_extract(lines, n, 1050, 600, "CN", &A, f);
}

static void test_clean_text(void)
{
	is_str(cardfields_clean_text("武 汉 星 辰", &A), "武汉星辰", "spaces between Chinese characters go");
	is_str(cardfields_clean_text("人民路 951 号", &A), "人民路951号", "and between Chinese and digits");
	is_str(cardfields_clean_text("  Anna   Smith ", &A), "Anna Smith", "Latin words keep one space, trimmed");
	is_str(cardfields_clean_text("手机: 151 1376", &A), "手机: 151 1376", "a space after a colon stays");
	is_str(cardfields_clean_text("", &A), "", "empty stays empty");
}

static void test_chinese_card(void)
{
	struct ocr_line lines[] = {
		L("杭州云海科技有限公司", 70, 70, 33),
		L("王芳", 70, 150, 60),
		L("销售总监", 70, 240, 28),
		L("手机: 138 0013 8000", 70, 420, 23),
		L("电话: 0571-8888 6666", 70, 455, 23),
		L("传真: 0571-8888 6667", 70, 490, 23),
		L("邮箱: wangfang@yunhai,cn", 70, 525, 27),
		L("网址: www.yunhai.corn", 70, 560, 26),
		L("地址: 浙江省杭州市西湖区文三路90号", 70, 595, 24),
	};
	struct cardfields f;
	extract(lines, sizeof(lines) / sizeof(lines[0]), &f);
	ok(f.cjk, "a Chinese card");
	is_str(f.name.value, "王芳", "the name: the big line that is no other field");
	is_str(f.organization.value, "杭州云海科技有限公司", "the organisation by its suffix");
	is_str(f.title.value, "销售总监", "the title by its word");
	is_str(f.address.value, "浙江省杭州市西湖区文三路90号", "the address, without its label");
	is_int(f.n_phones, 3, "three phone numbers");
	is_str(f.phones[0].value, "+8613800138000", "a mobile in E.164 with the default country");
	is_str(f.phone_types[0], "cell", "labelled 手机: a mobile");
	is_str(f.phones[1].value, "+8657188886666", "a landline with its area code");
	is_str(f.phone_types[1], "work", "labelled 电话: work");
	is_str(f.phone_types[2], "fax", "labelled 传真: fax");
	is_int(f.n_emails, 1, "one e-mail");
	is_str(f.emails[0].value, "wangfang@yunhai.cn", "\",cn\" repaired to \".cn\"");
	ok(f.emails[0].confidence < 0.9, "a repaired value is less certain");
	is_str(f.urls[0].value, "www.yunhai.com", "\"corn\" repaired to \"com\"");
	ok(f.name.confidence > 0.8 && f.name.confidence <= 1, "the confidence is the OCR's, 0..1");
}

static void test_english_card(void)
{
	struct ocr_line lines[] = {
		L("Silver Peak Software Ltd.", 70, 60, 31),
		L("Peter Turner", 70, 140, 50),
		L("Senior Consultant", 70, 230, 27),
		L("Tel: +1 (705) 214-5934", 70, 420, 22),
		L("Email: pturner@silverpeak.co", 70, 455, 27),
		L("Web: www.silverpeak.co", 70, 490, 27),
		L("2436 Main Street, Boston, MA 02107", 70, 525, 25),
	};
	struct cardfields f;
	extract(lines, sizeof(lines) / sizeof(lines[0]), &f);
	ok(!f.cjk, "an English card");
	is_str(f.name.value, "Peter Turner", "the name");
	is_str(f.organization.value, "Silver Peak Software Ltd.", "the organisation by Ltd.");
	is_str(f.title.value, "Senior Consultant", "the title");
	is_str(f.address.value, "2436 Main Street, Boston, MA 02107", "the address by number, street and ZIP");
	is_str(f.phones[0].value, "+17052145934", "an international number");
	is_str(f.emails[0].value, "pturner@silverpeak.co", "the e-mail");
	is_str(f.urls[0].value, "www.silverpeak.co", "the web address");
}

static void test_hard_cases(void)
{
	struct cardfields f;
	struct ocr_line row[] = {
		L("Claire Davis Product Manager", 60, 150, 59),
		L("Email: claire@pinecrest.com", 60, 300, 22),
	};
	extract(row, 2, &f);
	is_str(f.name.value, "Claire Davis", "a name and a title on one row: the name");
	is_str(f.title.value, "Product Manager", "and the title");

	struct ocr_line cut[] = {
		L("Ma ry Davis _ Business Development Manager", 60, 150, 57),
		L("Email: mary@oakridge.com", 60, 300, 22),
	};
	extract(cut, 2, &f);
	is_str(f.name.value, "Mary Davis", "a name cut inside by a wide font (Ma ry) is joined again, a lone mark dropped");
	is_str(f.title.value, "Business Development Manager", "and the title beside it found");

	struct ocr_line zh_row[] = {
		L("丁瑞红 人力资源经理", 60, 150, 61),
		L("广州瑞丰软件股份有限公司", 60, 40, 34),
	};
	extract(zh_row, 2, &f);
	is_str(f.name.value, "丁瑞红", "the same in Chinese: the name");
	is_str(f.title.value, "人力资源经理", "and the title");

	struct ocr_line at[] = {
		L("邮箱: salesOhengxintech.com", 60, 300, 30),
		L("E: anna,lee@example,com", 60, 340, 30),
		L("手机: 138 OO13 8OOO", 60, 380, 30),
		L("13800 Smith", 60, 420, 30),
	};
	extract(at, 4, &f);
	is_int(f.n_emails, 2, "two e-mails");
	is_str(f.emails[0].value, "sales@hengxintech.com", "an @ read as O is put back on a labelled line");
	is_str(f.emails[1].value, "anna.lee@example.com", "commas read for dots");
	is_int(f.n_phones, 1, "one phone");
	is_str(f.phones[0].value, "+8613800138000", "O read for 0 inside a number");

	struct ocr_line none[] = {L("", 0, 0, 10)};
	extract(none, 0, &f);
	ok(f.name.value == NULL && f.n_phones == 0 && f.n_emails == 0, "no lines: no fields");

	struct ocr_line title_dept[] = {
		L("张伟", 60, 100, 60),
		L("研发部 高级工程师", 60, 200, 30),
	};
	extract(title_dept, 2, &f);
	is_str(f.title.value, "高级工程师", "a title beside a department");
	is_str(f.department.value, "研发部", "and the department");
	is_int(cardfields_name_line(title_dept, 2, 1050, 600), 0, "the name line is the one read twice");
}

/* LC: L with confidence c */
#define LC(text, x, y, h, c) {text, x, y, (int)(strlen(text) * (h) / 2), h, c, 0}

static void test_repairs(void)
{
	struct cardfields f;
	struct ocr_line web[] = {
		L("Kevin Turner", 60, 100, 55),
		L("PLE: www.dongfang.net", 60, 300, 26),
		L("Web: wwwsummittrading.net", 60, 340, 26),
	};
	extract(web, 3, &f);
	is_int(f.n_urls, 2, "two web addresses");
	is_str(f.urls[0].value, "www.dongfang.net", "a web address after a label read as junk");
	is_str(f.urls[1].value, "www.summittrading.net", "www without its dot");

	struct ocr_line mail[] = {
		L("Peter Garcia", 60, 100, 55),
		LC("Email: pgarcla@acmesoftware.co", 60, 300, 26, 77),
		LC("E: peter@acme.co", 60, 340, 26, 77),
		LC("E: pgarcla@acme.net", 60, 380, 26, 92),
	};
	extract(mail, 4, &f);
	is_str(f.emails[0].value, "pgarcia@acmesoftware.co", "an uncertain e-mail one letter off the name's form");
	ok(f.emails[0].confidence < 0.7, "is put right, marked for checking");
	is_str(f.emails[1].value, "peter@acme.co", "one that is a form of the name stays");
	is_str(f.emails[2].value, "pgarcla@acme.net", "a sure reading stays as read");
	struct ocr_line dot[] = {
		L("Claire Johnson", 60, 100, 55),
		LC("Email: clairejohnson@summit.net", 60, 300, 26, 77),
	};
	extract(dot, 2, &f);
	is_str(f.emails[0].value, "clairejohnson@summit.net",
	       "first and last name run together is a form of its own (a dropped dot cannot be told from it)");

	struct ocr_line run[] = {
		L("丁瑞红。和为资源和理", 60, 150, 70),
		L("广州瑞丰软件股份有限公司", 60, 40, 34),
		L("1 Pinecrest Logistics GmbH", 60, 400, 30),
	};
	extract(run, 2, &f);
	is_str(f.name.value, "丁瑞红", "a Chinese name run into more by a mark: the name");
	extract(run + 2, 1, &f);
	is_str(f.organization.value, "Pinecrest Logistics GmbH", "a lone digit before an organisation is a speck");
	struct ocr_line specks[] = {
		L("\xc2\xa7 Redwood Robotics Group Ee", 60, 40, 34),
		L("Pinecrest Networks Ltd. Be", 60, 40, 34),
		L("Acme Group Co", 60, 40, 34),
	};
	extract(specks, 1, &f);
	is_str(f.organization.value, "Redwood Robotics Group", "a symbol before and a speck after the legal form go");
	extract(specks + 1, 1, &f);
	is_str(f.organization.value, "Pinecrest Networks Ltd.", "after Ltd. too");
	extract(specks + 2, 1, &f);
	is_str(f.organization.value, "Acme Group Co", "a legal form after another stays");
}

/* issue 24, accuracy round 3: Chinese cards' look-alikes */
static void test_chinese_lookalikes(void)
{
	struct cardfields f;
	struct ocr_line pinyin[] = {
		L("邮箱: bmyitnyq@jingiaocorp.cn", 60, 300, 26),
		L("网址: www.jingiao.com.cn", 60, 340, 26),
		L("E: info@summittrading.net", 60, 380, 26),
		L("邮箱: Inau@yunhai.com", 60, 420, 26),
	};
	extract(pinyin, 4, &f);
	is_str(f.emails[0].value, "bmyitnyq@jinqiaocorp.cn", "a domain that reads as pinyin with q for g (jingiao: g takes no -iao)");
	ok(f.emails[0].confidence < 0.9, "is put right with a lowered confidence");
	is_str(f.urls[0].value, "www.jinqiao.com.cn", "in a web address too");
	is_str(f.emails[1].value, "info@summittrading.net", "an English domain stays as read");
	is_str(f.emails[2].value, "lnau@yunhai.com", "a capital I among small letters is an l");
	is_str(cardfields_contact_key("hnehj@jingiao.com.cn", &A), "hnehj@jinqiao.com.cn", "the key of a reading is the repaired value");
	ok(cardfields_contact_key("no address here", &A) == NULL, "no key without an address");
	is_str(cardfields_contact_key("\\jgq@boyuancorp.net", &A), "ljgq@boyuancorp.net", "an l read as a backslash before an address");

	ok(cardfields_surname("邱玉"), "邱 is a common surname");
	ok(cardfields_surname(" 廖娟"), "廖 is one (spaces aside)");
	ok(!cardfields_surname("皂玉"), "its look-alike 皂 is none");
	ok(!cardfields_surname("Anna"), "Latin is none");

	struct ocr_line org[] = {
		L("上海东方科技股份有限公局", 60, 40, 34),
		L("北京德润贸易有限公", 60, 40, 34),
		L("广州恒信软件有限责任公司 二", 60, 40, 34),
		L("中国工商银行", 60, 40, 34),
	};
	extract(org, 1, &f);
	is_str(f.organization.value, "上海东方科技股份有限公司", "有限公局 is 有限公司");
	ok(f.organization.confidence < 0.9, "a repaired organisation has a lowered confidence");
	extract(org + 1, 1, &f);
	is_str(f.organization.value, "北京德润贸易有限公司", "有限公 lost its 司");
	extract(org + 2, 1, &f);
	is_str(f.organization.value, "广州恒信软件有限责任公司", "a speck after the legal ending goes");
	extract(org + 3, 1, &f);
	is_str(f.organization.value, "中国工商银行", "an organisation ending in its suffix stays");
	ok(cardfields_is_org("深圳恒信能源有限公司"), "a line with a legal ending is an organisation (read again by lib/ocr.c)");
	ok(!cardfields_is_org("地址: 深圳市南山区科技园10号"), "an address line is none");
	ok(!cardfields_is_org("邮箱: info@hengxin.com"), "nor an e-mail line");
	ok(cardfields_is_org("北京德润贸易有限公"), "an organisation whose 司 was lost is one");
	ok(cardfields_is_title("副总裁"), "a title reads as one");
	ok(!cardfields_is_title("BBR") && !cardfields_is_title("广州瑞丰软件股份有限公司"), "junk and an organisation do not");
}

static void test_json(void)
{
	struct ocr_line lines[] = {
		L("王芳", 70, 150, 60),
		L("手机: 138 0013 8000", 70, 420, 23),
	};
	struct cardfields f;
	extract(lines, 2, &f);
	f.name.confidence = 0.5;
	json_t *j = cardfields_json(&f);
	is_str(json_string_value(json_object_get(json_object_get(j, "full_name"), "value")), "王芳", "JSON: the name");
	ok(json_is_true(json_object_get(json_object_get(j, "full_name"), "check")), "a low confidence is marked for checking");
	json_t *p = json_array_get(json_object_get(j, "phones"), 0);
	is_str(json_string_value(json_object_get(p, "type")), "cell", "phones carry their type");
	ok(json_is_false(json_object_get(p, "check")), "a confident phone is not marked");
	ok(json_is_null(json_object_get(j, "organization")), "a field not found is null");
	ok(json_array_size(json_object_get(j, "emails")) == 0, "no e-mail: an empty list");
	json_decref(j);
}

int main(void)
{
	arena_init(&A);
	test_clean_text();
	test_chinese_card();
	test_english_card();
	test_hard_cases();
	test_repairs();
	test_chinese_lookalikes();
	test_json();
	arena_reset(&A);
	return done_testing();
}
