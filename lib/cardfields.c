/* cardfields.c: the fields of a business card from OCR lines: contacts by pattern, organisation/title/address by their words, the name by size. */
#include "cardfields.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "contact.h"

/* What a line was taken for. */
enum line_kind {
	LK_NONE,
	LK_EMAIL,
	LK_PHONE,
	LK_URL,
	LK_ADDRESS,
	LK_ORG,
	LK_TITLE,
	LK_DEPT,
	LK_NAME,
	LK__MAX
};

/* --- UTF-8 -------------------------------------------------------------------- */

/* next_cp: the code point at *p, advancing *p (a bad byte is taken as is) */
static unsigned next_cp(const char **p)
{
	const unsigned char *s = (const unsigned char *)*p;
	unsigned c = s[0];
	int n = 0;
	if (c >= 0xf0 && s[1] && s[2] && s[3]) {
		c = ((c & 7u) << 18) | ((s[1] & 63u) << 12) | ((s[2] & 63u) << 6) | (s[3] & 63u);
		n = 4;
	} else if (c >= 0xe0 && s[1] && s[2]) {
		c = ((c & 15u) << 12) | ((s[1] & 63u) << 6) | (s[2] & 63u);
		n = 3;
	} else if (c >= 0xc0 && s[1]) {
		c = ((c & 31u) << 6) | (s[1] & 63u);
		n = 2;
	} else {
		n = 1;
	}
	*p += n;
	return c;
}

static int is_cjk(unsigned c)
{
	return (c >= 0x4e00 && c <= 0x9fff) || (c >= 0x3400 && c <= 0x4dbf);
}

static size_t count_cjk(const char *s)
{
	size_t n = 0;
	while (*s)
		n += is_cjk(next_cp(&s));
	return n;
}

static size_t count_chars(const char *s)
{
	size_t n = 0;
	while (*s) {
		unsigned c = next_cp(&s);
		n += c != ' ';
	}
	return n;
}

char *cardfields_clean_text(const char *s, struct arena *a)
{
	size_t n = strlen(s);
	char *out = arena_alloc(a, n + 1), *o = out;
	unsigned prev = 0;	/* the last code point written, 0 at the start */
	const char *p = s;
	while (*p) {
		const char *at = p;
		unsigned c = next_cp(&p);
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x3000) {
			/* the next non-space character */
			const char *q = p;
			unsigned d = 0;
			while (*q) {
				const char *qq = q;
				d = next_cp(&q);
				if (d != ' ' && d != '\t' && d != '\n' && d != '\r' && d != 0x3000) {
					q = qq;
					break;
				}
				d = 0;
			}
			int pc = is_cjk(prev), dc = is_cjk(d);
			int pd = prev >= '0' && prev <= '9', dd = d >= '0' && d <= '9';
			if (prev == 0 || d == 0 || (pc && (dc || dd)) || (dc && pd))
				continue;
			if (o > out && o[-1] == ' ')
				continue;
			*o++ = ' ';
			prev = ' ';
			continue;
		}
		memcpy(o, at, (size_t)(p - at));
		o += p - at;
		prev = c;
	}
	while (o > out && o[-1] == ' ')
		o--;
	*o = '\0';
	return out;
}

/* --- words that tell a line's kind --------------------------------------------- */

static const char *const zh_org[] = {"有限公司", "公司", "集团", "研究院", "研究所", "大学", "银行",
				     "事务所", "工作室", "协会", "医院", "学院", NULL};
static const char *const en_org[] = {"inc", "ltd", "llc", "corp", "corporation", "company", "co",
				     "gmbh", "group", "limited", "labs", "university", "bank", "partners",
				     "plc", "ag", "sa", NULL};
static const char *const zh_title[] = {"经理", "总监", "工程师", "主管", "董事长", "总裁", "主任", "顾问",
				       "设计师", "会计师", "律师", "教授", "首席", "执行官", "技术官", "专员",
				       "助理", "董事", "主席", "院长", "秘书", "总经理", "负责人", "研究员", NULL};
static const char *const en_title[] = {"manager", "director", "engineer", "president", "officer", "ceo",
				       "cto", "cfo", "coo", "vp", "head", "consultant", "designer", "analyst",
				       "lead", "architect", "specialist", "executive", "founder", "partner",
				       "developer", "associate", "chief", "senior", "professor", "assistant", NULL};
static const char *const zh_addr[] = {"省", "市", "区", "县", "路", "街", "道", "号", "层", "座", "大厦",
				      "镇", "村", "楼", "室", "园", NULL};
static const char *const en_street[] = {"street", "st", "avenue", "ave", "road", "rd", "boulevard",
					"blvd", "drive", "dr", "lane", "ln", "way", "broadway", "suite",
					"floor", "plaza", "court", "ct", "place", "pl", "highway", NULL};
static const char *const zh_dept_end[] = {"部", "事业部", "中心", "处", NULL};

/* Labels in front of a value, and what they say about it. */
static const struct {
	const char *label;
	enum line_kind kind;
	const char *phone_type;
} labels[] = {
	{"手机", LK_PHONE, "cell"}, {"移动电话", LK_PHONE, "cell"}, {"电话", LK_PHONE, "work"},
	{"座机", LK_PHONE, "work"}, {"传真", LK_PHONE, "fax"}, {"邮箱", LK_EMAIL, NULL},
	{"电邮", LK_EMAIL, NULL}, {"邮件", LK_EMAIL, NULL}, {"网址", LK_URL, NULL}, {"网站", LK_URL, NULL},
	{"地址", LK_ADDRESS, NULL}, {"mobile", LK_PHONE, "cell"}, {"cell", LK_PHONE, "cell"},
	{"phone", LK_PHONE, "work"}, {"tel", LK_PHONE, "work"}, {"fax", LK_PHONE, "fax"},
	{"e-mail", LK_EMAIL, NULL}, {"email", LK_EMAIL, NULL}, {"mail", LK_EMAIL, NULL},
	{"web", LK_URL, NULL}, {"website", LK_URL, NULL}, {"address", LK_ADDRESS, NULL},
	{"addr", LK_ADDRESS, NULL}, {"m", LK_PHONE, "cell"}, {"t", LK_PHONE, "work"},
	{"f", LK_PHONE, "fax"}, {"e", LK_EMAIL, NULL}, {"w", LK_URL, NULL},
};

/* strip_label: the value after a known label ("手机: ", "Tel ", "E:");
 * *kind and *ptype say what the label announced (LK_NONE: none). */
static const char *strip_label(const char *s, enum line_kind *kind, const char **ptype)
{
	*kind = LK_NONE;
	*ptype = NULL;
	for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++) {
		size_t n = strlen(labels[i].label);
		if (strncasecmp(s, labels[i].label, n) != 0)
			continue;
		const char *p = s + n;
		int sep = 0;
		while (*p == ' ' || *p == ':' || *p == '.' || *p == '|') {
			sep |= *p != ' ' || n > 2;
			p++;
		}
		if (strncmp(p, "\xef\xbc\x9a", 3) == 0) {	/* full-width colon */
			p += 3;
			sep = 1;
		}
		while (*p == ' ')
			p++;
		/* a one-letter label needs its colon ("T: ...", not "Thomas") */
		if (!sep && (n <= 2 || isalpha((unsigned char)*p)))
			continue;
		if ((unsigned char)s[0] < 0x80 && isalpha((unsigned char)s[n]))
			continue;
		*kind = labels[i].kind;
		*ptype = labels[i].phone_type;
		return p;
	}
	return s;
}

/* has_word: s contains one of the words, as a whole ASCII word (case
 * ignored) or, for non-ASCII words, anywhere */
static int has_word(const char *s, const char *const *words)
{
	for (size_t i = 0; words[i]; i++) {
		size_t n = strlen(words[i]);
		if ((unsigned char)words[i][0] >= 0x80) {
			if (strstr(s, words[i]))
				return 1;
			continue;
		}
		for (const char *p = s; *p; p++) {
			if (p > s && isalnum((unsigned char)p[-1]))
				continue;
			if (strncasecmp(p, words[i], n) == 0 && !isalnum((unsigned char)p[n]))
				return 1;
		}
	}
	return 0;
}

static size_t count_markers(const char *s, const char *const *words)
{
	size_t n = 0;
	for (size_t i = 0; words[i]; i++)
		if (strstr(s, words[i]))
			n++;
	return n;
}

static int ends_with(const char *s, const char *end)
{
	size_t n = strlen(s), m = strlen(end);
	return n >= m && strcmp(s + n - m, end) == 0;
}

/* --- e-mails, URLs, phones -------------------------------------------------------- */

/* Endings a domain may have; a misread ending is repaired to one of these. */
static const char *const endings[] = {
	".com.cn", ".net.cn", ".org.cn", ".gov.cn", ".edu.cn", ".co.uk", ".com.hk", ".com.tw",
	".com", ".cn", ".net", ".org", ".io", ".co", ".edu", ".gov", ".de", ".uk", ".jp", ".hk",
	".tw", ".sg", ".fr", ".info", ".biz", ".ai", NULL,
};

/* Misreadings of the letters of an ending. */
static const struct {
	const char *seen, *meant;
} tail_fixes[] = {
	{"corn", "com"}, {"c0m", "com"}, {"coin", "com"}, {"con", "com"}, {"cam", "com"},
	{"comn", "com"}, {"cnn", "cn"}, {"c n", "cn"}, {"0rg", "org"}, {"n3t", "net"},
	{"ccm", "com"}, {"cem", "com"}, {"corm", "com"}, {"som", "com"}, {"eom", "com"},
};

/* The common Chinese surnames (the most frequent 250 or so, nine people in
 * ten), to tell a name from a look-alike reading of it. */
static const char zh_surnames[] =
	"王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
	"姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向"
	"汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单"
	"季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄"
	"窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻"
	"苑迟邝";

int cardfields_surname(const char *s)
{
	while (*s == ' ')
		s++;
	const char *p = s;
	unsigned c = next_cp(&p);
	if (!is_cjk(c))
		return 0;
	char one[5] = {0};
	memcpy(one, s, (size_t)(p - s));
	return strstr(zh_surnames, one) != NULL;
}

/* --- pinyin: Chinese organisations' domains ------------------------------------ */

/* The finals each group of initials takes (a superset of Hanyu Pinyin's
 * table is enough here: what matters is that g, k, h and the zero initial
 * take no i- or ü-finals and j, q, x only those). */
static const struct {
	const char *initials;	/* space separated; "" the zero initial */
	const char *finals;
} pinyin_table[] = {
	{"b p m f d t n l", "a o e ai ei ao ou an en ang eng ong i ia ie iao iu ian in iang ing u uo ui uan un v ve"},
	{"g k h zh ch sh r z c s", "a e ai ei ao ou an en ang eng ong u ua uo uai ui uan un uang"},
	{"zh ch sh r z c s", "i"},
	{"j q x", "i ia ie iao iu ian in iang ing iong u ue uan un"},
	{"y", "a o e ao ou an ang ong i in ing u ue uan un"},
	{"w", "a o ai ei an en ang eng u"},
	{"", "a o e ai ei ao ou an en ang eng er"},
};

/* English words Chinese organisations put beside the pinyin of their name
 * in a domain ("jinqiaocorp", "ruifengtech") */
static const char *const domain_words[] = {"corp", "tech", "group", "soft", "info", "china", "cloud",
					   "data", "web", "bio", "med", "trade", "global", "intl", "net", NULL};

/* in_list: s[0..n) is one of the space separated words of list */
static int in_list(const char *list, const char *s, size_t n)
{
	for (const char *p = list; *p;) {
		size_t k = strcspn(p, " ");
		if (k == n && strncmp(p, s, n) == 0)
			return 1;
		p += k;
		while (*p == ' ')
			p++;
	}
	return 0;
}

/* pinyin_syllable: s[0..n) is a pinyin syllable (no tones) */
static int pinyin_syllable(const char *s, size_t n)
{
	for (size_t i = 0; i < sizeof(pinyin_table) / sizeof(pinyin_table[0]); i++) {
		const char *ini = pinyin_table[i].initials;
		if (*ini == '\0') {
			if (in_list(pinyin_table[i].finals, s, n))
				return 1;
			continue;
		}
		for (size_t k = 1; k <= 2 && k < n; k++)
			if (in_list(ini, s, k) && in_list(pinyin_table[i].finals, s + k, n - k))
				return 1;
	}
	return 0;
}

/* pinyin_label: s[0..n) (lower case) reads as syllables of pinyin and the
 * English words of domain_words, nothing else ("jinqiaocorp" does,
 * "jingiaocorp" does not: g takes no -iao) */
static int pinyin_label(const char *s, size_t n)
{
	unsigned char ok[64] = {1};
	if (n == 0 || n >= sizeof(ok))
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (!ok[i])
			continue;
		for (size_t k = 1; k <= 6 && i + k <= n; k++)
			if (pinyin_syllable(s + i, k))
				ok[i + k] = 1;
		for (size_t w = 0; domain_words[w]; w++) {
			size_t k = strlen(domain_words[w]);
			if (i + k <= n && strncmp(s + i, domain_words[w], k) == 0)
				ok[i + k] = 1;
		}
	}
	return ok[n];
}

/* pinyin_fix: a domain's name (the label before its ending) that reads as
 * no pinyin, but does with one g read for q or q for g (the look-alikes
 * Tesseract confuses: "jingiao" for "jinqiao"), put right in place; 1 when
 * changed. Domains of English words stay as they are: they do not read as
 * pinyin either way. */
static int pinyin_fix(char *d)
{
	char *end = NULL;
	for (size_t i = 0; endings[i]; i++)
		if (ends_with(d, endings[i])) {
			end = d + strlen(d) - strlen(endings[i]);
			break;
		}
	if (end == NULL)
		return 0;
	char *b = end;
	while (b > d && b[-1] != '.')
		b--;
	size_t n = (size_t)(end - b);
	if (n < 4 || pinyin_label(b, n))
		return 0;
	char *hit = NULL;
	int hits = 0;
	for (char *p = b; p < end; p++) {
		if (*p != 'g' && *p != 'q')
			continue;
		char c = *p;
		*p = c == 'g' ? 'q' : 'g';
		if (pinyin_label(b, n)) {
			hit = p;
			hits++;
		}
		*p = c;
	}
	if (hits != 1)
		return 0;
	*hit = *hit == 'g' ? 'q' : 'g';
	return 1;
}

/* lower_latin: s in lower case, in place; a capital I among small letters
 * (no other capital) taken for the l it looks like ("Inau@…" is "lnau@…") */
static void lower_latin(char *s, int *fixed)
{
	int upper = 0, lower = 0;
	for (char *p = s; *p; p++) {
		upper += isupper((unsigned char)*p) && *p != 'I';
		lower += islower((unsigned char)*p) != 0;
	}
	for (char *p = s; *p; p++) {
		if (*p == 'I' && !upper && lower) {
			*p = 'l';
			*fixed = 1;
		}
		*p = (char)tolower((unsigned char)*p);
	}
}

/* repair_domain: d (lower case, in a) with a misread ending put right:
 * "," or a missing dot before a known ending, look-alike letters in it, a
 * trailing stray character. The repaired domain, and *fixed when changed. */
static char *repair_domain(char *d, struct arena *a, int *fixed)
{
	size_t n = strlen(d);
	for (char *p = d; *p; p++)
		if (*p == ',' || *p == ';' || *p == ':') {
			*p = '.';
			*fixed = 1;
		}
	while (n && !isalnum((unsigned char)d[n - 1])) {
		d[--n] = '\0';
		*fixed = 1;
	}
	for (size_t i = 0; endings[i]; i++)
		if (ends_with(d, endings[i]))
			return d;
	/* look-alikes in the last label */
	char *dot = strrchr(d, '.');
	if (dot) {
		for (size_t i = 0; i < sizeof(tail_fixes) / sizeof(tail_fixes[0]); i++)
			if (strcmp(dot + 1, tail_fixes[i].seen) == 0) {
				*fixed = 1;
				return arena_printf(a, "%.*s.%s", (int)(dot - d), d, tail_fixes[i].meant);
			}
		/* an ending with one letter too many ("comi", "cnl") */
		for (size_t i = 0; endings[i]; i++) {
			const char *e = strrchr(endings[i], '.');
			size_t m = strlen(e);
			if (strlen(dot) == m + 1 && strncmp(dot, e, m) == 0) {
				*fixed = 1;
				return arena_printf(a, "%.*s%s", (int)(dot - d), d, e);
			}
		}
	}
	/* the dot read as nothing: "examplecom" */
	static const char *const bare[] = {"com", "cn", "net", "org", NULL};
	for (size_t i = 0; bare[i]; i++)
		if (ends_with(d, bare[i]) && !dot && strlen(d) > strlen(bare[i]) + 2) {
			*fixed = 1;
			return arena_printf(a, "%.*s.%s", (int)(strlen(d) - strlen(bare[i])), d, bare[i]);
		}
	return d;
}

static int email_char(int c)
{
	return isalnum(c) || c == '.' || c == '_' || c == '-' || c == '+' || c == ',';
}

/* find_email: the e-mail address in s, repaired and normalised; NULL if
 * none. labelled: the line said it holds one ("邮箱:", "Email:"), so an
 * "@" read as a letter may be put back. */
static const char *find_email(const char *s, struct arena *a, int labelled, int *fixed)
{
	/* OCR splits addresses with spaces; none belong in one */
	char *t = arena_strdup(a, s), *o = t;
	for (const char *p = s; *p; p++)
		if (*p != ' ')
			*o++ = *p;
	*o = '\0';
	/* "©" and "(a)" for "@" */
	char *at = strchr(t, '@');
	if (at == NULL) {
		char *c = strstr(t, "\xc2\xa9");
		if (c) {
			memmove(c + 1, c + 2, strlen(c + 2) + 1);
			*c = '@';
			at = c;
			*fixed = 1;
		}
	}
	/* "sales0hengxin.com": one capital O or Q among small letters */
	if (at == NULL && labelled) {
		char *cand = NULL;
		int n = 0, lower = 0;
		for (char *p = t; *p; p++) {
			if (*p == 'O' || *p == 'Q') {
				cand = p;
				n++;
			}
			lower += islower((unsigned char)*p) != 0;
		}
		if (n == 1 && lower >= 4 && cand > t && strchr(cand, '.')) {
			*cand = '@';
			at = cand;
			*fixed = 1;
		}
	}
	if (at == NULL)
		return NULL;
	char *b = at, *e = at + 1;
	while (b > t && email_char((unsigned char)b[-1]))
		b--;
	while (*e && email_char((unsigned char)*e))
		e++;
	if (b == at || e == at + 1)
		return NULL;
	/* "\jgq@": an l read as a backslash (no separator: nobody writes
	 * one before an address) */
	int stroke = b > t && b[-1] == '\\';
	char *local = stroke ? arena_printf(a, "l%.*s", (int)(at - b), b) : arena_strndup(a, b, (size_t)(at - b));
	if (stroke)
		*fixed = 1;
	char *dom = arena_strndup(a, at + 1, (size_t)(e - at - 1));
	lower_latin(dom, fixed);
	lower_latin(local, fixed);
	for (char *p = local; *p; p++)
		if (*p == ',') {
			*p = '.';
			*fixed = 1;
		}
	dom = repair_domain(dom, a, fixed);
	if (pinyin_fix(dom))
		*fixed = 1;
	return email_normalize(arena_printf(a, "%s@%s", local, dom), a);
}

/* find_url: a web address in s ("www.", "http", or a bare domain with a
 * known ending), repaired; NULL if none */
static const char *find_url(const char *s, struct arena *a, int labelled, int *fixed)
{
	char *t = arena_strdup(a, s), *o = t;
	for (const char *p = s; *p; p++)
		if (*p != ' ')
			*o++ = *p;
	*o = '\0';
	if (strchr(t, '@'))
		return NULL;
	char *lower = arena_strdup(a, t);
	lower_latin(lower, fixed);
	char *start = strstr(lower, "www");
	const char *scheme = "";
	if (strncmp(lower, "http://", 7) == 0 || strncmp(lower, "https://", 8) == 0) {
		start = strstr(lower, "//") + 2;
		scheme = lower[4] == 's' ? "https://" : "http://";
	}
	if (start == NULL && !labelled)
		return NULL;
	if (start == NULL)
		start = lower;
	/* "www," and "wwW." */
	if (strncmp(start, "www", 3) == 0 && start[3] != '.' && start[3]) {
		if (start[3] == ',' || start[3] == ':') {
			start[3] = '.';
		} else if (isalnum((unsigned char)start[3]) && start[3] != 'w' && strchr(start + 3, '.')) {
			/* "wwwexample.net": the dot read as nothing */
			start = arena_printf(a, "www.%s", start + 3);
		} else {
			return NULL;
		}
		*fixed = 1;
	}
	char *e = start;
	while (*e && (isalnum((unsigned char)*e) || *e == '.' || *e == '-' || *e == ',' || *e == '/'))
		e++;
	char *host = arena_strndup(a, start, (size_t)(e - start));
	char *slash = strchr(host, '/');
	const char *path = "";
	if (slash) {
		path = arena_strdup(a, slash);
		*slash = '\0';
	}
	host = repair_domain(host, a, fixed);
	if (pinyin_fix(host))
		*fixed = 1;
	if (strchr(host, '.') == NULL || strlen(host) < 4)
		return NULL;
	int known = 0;
	for (size_t i = 0; endings[i]; i++)
		known |= ends_with(host, endings[i]);
	if (!known && !labelled)
		return NULL;
	return arena_printf(a, "%s%s%s", scheme, host, path);
}

const char *cardfields_contact_key(const char *v, struct arena *a)
{
	int fixed = 0;
	const char *k = strchr(v, '@') ? find_email(v, a, 1, &fixed) : find_url(v, a, 1, &fixed);
	return k;
}

/* find_phone: a phone number in s as E.164; NULL if none. Letters that
 * look like digits inside the number are read as digits. */
static const char *find_phone(const char *s, const char *country, struct arena *a)
{
	size_t n = strlen(s), digits = 0, other = 0;
	char *t = arena_alloc(a, n + 1), *o = t;
	const char *p = s;
	while (*p && !(isdigit((unsigned char)*p) || *p == '+' || *p == '('))
		p++;
	for (; *p; p++) {
		char c = *p;
		switch (c) {
		case 'O': case 'o': case 'D': c = '0'; break;
		case 'l': case 'I': case '|': case 'i': c = '1'; break;
		case 'S': c = '5'; break;
		case 'B': c = '8'; break;
		default: break;
		}
		if (isdigit((unsigned char)c)) {
			digits++;
			*o++ = c;
		} else if (c == '+' || c == '-' || c == ' ' || c == '(' || c == ')' || c == '.' || c == '/') {
			*o++ = c;
		} else if (c == ',' || c == '~') {
			*o++ = ' ';
		} else {
			other++;
			if (digits >= 7)
				break;
		}
	}
	*o = '\0';
	if (digits < 7 || digits > 16 || other > 3)
		return NULL;
	return phone_normalize(t, country, a);
}

/* --- lines -------------------------------------------------------------------------- */

/* looks_like_name: a person's name: 2-4 Chinese characters, or 2-4 Latin
 * words with capitals and no digits. */
static int looks_like_name(const char *s)
{
	size_t cjk = count_cjk(s), all = count_chars(s);
	if (cjk >= 2 && cjk <= 4 && cjk == all)
		return 1;
	if (cjk)
		return 0;
	int words = 0, ok = 1;
	for (const char *p = s; *p;) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		words++;
		if (!isupper((unsigned char)*p))
			ok = 0;
		for (; *p && *p != ' '; p++)
			if (!isalpha((unsigned char)*p) && *p != '.' && *p != '-' && *p != '\'')
				ok = 0;
	}
	return ok && words >= 2 && words <= 4;
}

/* zh_address: Chinese address markers (two at least, one a place). */
static int zh_address(const char *s)
{
	return count_cjk(s) >= 5 && count_markers(s, zh_addr) >= 2 &&
	       (strstr(s, "路") || strstr(s, "号") || strstr(s, "街") || strstr(s, "道") || strstr(s, "区"));
}

/* en_address: a number and a street word, or a state and ZIP code */
static int en_address(const char *s)
{
	int starts_num = isdigit((unsigned char)s[0]);
	if (starts_num && has_word(s, en_street))
		return 1;
	/* ", CA 94103" */
	size_t n = strlen(s);
	if (n >= 8) {
		const char *z = s + n - 5;
		int zip = 1;
		for (int i = 0; i < 5; i++)
			zip &= isdigit((unsigned char)z[i]) != 0;
		if (zip && z[-1] == ' ' && isupper((unsigned char)z[-3]) && isupper((unsigned char)z[-2]))
			return 1;
	}
	return 0;
}

/* classify: the kind of a line by its text alone */
static enum line_kind classify(const char *text, const char **value, const char **ptype)
{
	enum line_kind lk;
	const char *v = strip_label(text, &lk, ptype);
	*value = v;
	if (lk != LK_NONE)
		return lk;
	if (strchr(v, '@') || strstr(v, "\xc2\xa9"))
		return LK_EMAIL;
	size_t digits = 0, chars = count_chars(v);
	for (const char *p = v; *p; p++)
		digits += isdigit((unsigned char)*p) != 0;
	if (digits >= 7 && digits * 10 >= chars * 6)
		return LK_PHONE;
	if (strncasecmp(v, "www", 3) == 0 || strncasecmp(v, "http", 4) == 0)
		return LK_URL;
	/* a label read as junk before the address ("PLE: www.example.net") */
	const char *www = strcasestr(v, "www.");
	if (www && strlen(www) > 8)
		return LK_URL;
	if (zh_address(v) || (count_cjk(v) == 0 && en_address(v)))
		return LK_ADDRESS;
	size_t cjk = count_cjk(v);
	if (cjk ? count_markers(v, zh_org) > 0 && cjk >= 4 : has_word(v, en_org))
		return LK_ORG;
	if (cjk ? count_markers(v, zh_title) > 0 && cjk <= 12 : has_word(v, en_title))
		return LK_TITLE;
	if (cjk && cjk <= 8 && cjk == count_chars(v))
		for (size_t i = 0; zh_dept_end[i]; i++)
			if (ends_with(v, zh_dept_end[i]))
				return LK_DEPT;
	if (!cjk && has_word(v, (const char *const[]){"department", "dept", "division", NULL}))
		return LK_DEPT;
	return LK_NONE;
}

static const char *zh_org_repair(const char *s, struct arena *a, int *fixed);

int cardfields_is_title(const char *text)
{
	const char *v, *pt;
	return classify(text, &v, &pt) == LK_TITLE;
}

int cardfields_is_org(const char *text)
{
	const char *v, *pt;
	struct arena a;
	int fixed = 0;
	arena_init(&a);
	int org = classify(zh_org_repair(text, &a, &fixed), &v, &pt) == LK_ORG;
	arena_reset(&a);
	return org;
}

int cardfields_name_line(const struct ocr_line *lines, size_t n, int width, int height)
{
	int best = -1;
	double best_score = 0;
	(void)width;
	for (size_t i = 0; i < n; i++) {
		const char *v, *pt;
		enum line_kind k = classify(lines[i].text, &v, &pt);
		if (k != LK_NONE && k != LK_TITLE)
			continue;
		/* a title line that is no bigger than the rest is a title */
		if (k == LK_TITLE && !looks_like_name(lines[i].text))
			continue;
		double score = lines[i].h;
		if (looks_like_name(lines[i].text))
			score *= 1.3;
		if (height > 0 && lines[i].y > height * 3 / 4)
			score *= 0.6;
		if (score > best_score) {
			best_score = score;
			best = (int)i;
		}
	}
	return best;
}

static void set_field(struct cardfield *f, const char *v, double conf)
{
	if (f->value && f->confidence >= conf)
		return;
	f->value = v;
	f->confidence = conf < 0 ? 0 : conf > 1 ? 1 : conf;
}

static void add_item(struct cardfield *items, size_t *n, const char *v, double conf)
{
	for (size_t i = 0; i < *n; i++)
		if (strcmp(items[i].value, v) == 0)
			return;
	if (*n >= CARDFIELDS_MAX_ITEMS)
		return;
	items[*n].value = v;
	items[*n].confidence = conf < 0 ? 0 : conf > 1 ? 1 : conf;
	(*n)++;
}

/* Words that start a title rather than end a name. */
static const char *const title_lead[] = {"senior", "sales", "product", "marketing", "business",
					 "account", "project", "financial", "design", "head", "vice",
					 "chief", "general", "managing", "regional", "technical",
					 "development", "operations", "software", "human", NULL};

/* split_name_title: a name and a title on one row ("戴思敏 销售总监",
 * "Anna Smith Sales Director"): *name gets the name (in a), the title is
 * returned; *name NULL when the line does not start with a name. */
/* latin_glue: a Latin line's words with a name cut inside ("Ma ry Davis":
 * a capital and a small letter or two, then small letters only, set in a
 * wide font) joined again and lone marks ("_", "|", "-") left out */
static const char *latin_glue(const char *v, struct arena *a)
{
	char *out = arena_alloc(a, strlen(v) + 1), *o = out;
	const char *p = v, *prev = NULL;
	size_t prev_n = 0;
	while (*p) {
		while (*p == ' ')
			p++;
		size_t k = strcspn(p, " "), alpha = 0, lower = 0;
		if (k == 0)
			break;
		for (size_t i = 0; i < k; i++) {
			alpha += isalpha((unsigned char)p[i]) != 0;
			lower += islower((unsigned char)p[i]) != 0;
		}
		if (alpha == 0 && k == 1 && strchr("_|-", *p)) {
			p += k;
			continue;
		}
		int glue = prev && prev_n <= 2 && isupper((unsigned char)*prev) && lower == k;
		if (o > out && !glue)
			*o++ = ' ';
		memcpy(o, p, k);
		o += k;
		prev = glue ? NULL : p;
		prev_n = k;
		p += k;
	}
	*o = '\0';
	return out;
}

static const char *split_name_title(const char *v, struct arena *a, const char **name)
{
	*name = NULL;
	if (count_cjk(v)) {
		const char *sp = strchr(v, ' ');
		if (sp == NULL)
			return v;
		char *first = arena_strndup(a, v, (size_t)(sp - v));
		int dept = 0;
		for (size_t i = 0; zh_dept_end[i]; i++)
			dept |= ends_with(first, zh_dept_end[i]);
		if (!dept && looks_like_name(first) && !count_markers(first, zh_title) &&
		    count_markers(sp + 1, zh_title)) {
			*name = first;
			return sp + 1;
		}
		return v;
	}
	const char *orig = v;
	v = latin_glue(v, a);
	/* the name's words: two, or three when the third is no title word */
	const char *w[8];
	int n = 0;
	for (const char *p = v; *p && n < 8;) {
		while (*p == ' ')
			p++;
		if (*p)
			w[n++] = p;
		while (*p && *p != ' ')
			p++;
	}
	for (int k = 3; k >= 2; k--) {
		if (n <= k)
			continue;
		char *head = arena_strndup(a, v, (size_t)(w[k] - v));
		size_t hl = strlen(head);
		while (hl && head[hl - 1] == ' ')
			head[--hl] = '\0';
		char *lead = arena_strndup(a, w[k - 1], strcspn(w[k - 1], " "));
		if (k == 3 && (has_word(lead, en_title) || has_word(lead, title_lead)))
			continue;
		if (looks_like_name(head) && !has_word(head, en_title) && !has_word(head, title_lead) &&
		    has_word(w[k], en_title)) {
			*name = head;
			return w[k];
		}
	}
	return orig;
}

/* trim_junk: a text field without the specks OCR reads at its ends: on a
 * Chinese field whatever precedes the first Chinese character (stray
 * marks, an unknown label) and Latin letters after the last one that are
 * no part of it ("有限公司 ee"; an address keeps its digits and "A座"); on
 * a Latin field leading punctuation and a lone small letter ("| Acme",
 * "i Acme"). In a. */
static const char *trim_junk(const char *v, int address, struct arena *a)
{
	if (v == NULL)
		return NULL;
	if (count_cjk(v)) {
		const char *p = v, *first = NULL, *end = v;
		while (*p) {
			const char *at = p;
			unsigned c = next_cp(&p);
			if (is_cjk(c)) {
				if (!first)
					first = at;
				end = p;
			}
		}
		if (address) {
			/* digits, letters and 号/层/座 after the last character stay */
			const char *q = end;
			while (*q && (isalnum((unsigned char)*q) || *q == '-' || (unsigned char)*q >= 0x80))
				q++;
			end = q;
		}
		return arena_strndup(a, first, (size_t)(end - first));
	}
	/* marks, and symbols outside ASCII ("§ Acme") */
	while (*v && (strchr("|:;,.'\"`-_~!*> ", *v) || (unsigned char)*v >= 0x80)) {
		if ((unsigned char)*v >= 0x80)
			next_cp(&v);
		else
			v++;
	}
	if ((islower((unsigned char)v[0]) || isdigit((unsigned char)v[0])) && v[1] == ' ')
		v += 2;
	size_t n = strlen(v);
	while (n && strchr("|:;,'\"`-_~!*< ", v[n - 1]))
		n--;
	return arena_strndup(a, v, n);
}

/* org_tail: a Latin organisation without a speck read after its legal
 * form ("Acme Networks Ltd. Be": a word of one or two letters after the
 * last of Inc., Ltd., GmbH, Group ...). In a. */
static const char *org_tail(const char *v, struct arena *a)
{
	if (v == NULL || count_cjk(v))
		return v;
	const char *end = NULL;
	for (size_t i = 0; en_org[i]; i++) {
		size_t n = strlen(en_org[i]);
		for (const char *p = v; *p; p++)
			if ((p == v || p[-1] == ' ') && strncasecmp(p, en_org[i], n) == 0 &&
			    (p[n] == ' ' || p[n] == '.' || p[n] == '\0') && (end == NULL || p + n > end))
				end = p + n + (p[n] == '.');
	}
	if (end == NULL || *end != ' ')
		return v;
	const char *r = end;
	while (*r == ' ')
		r++;
	size_t k = strlen(r);
	if (k == 0 || k > 2 || strchr(r, ' '))
		return v;
	for (const char *q = r; *q; q++)
		if (!isalpha((unsigned char)*q))
			return v;
	return arena_strndup(a, v, (size_t)(end - v));
}

/* zh_org_repair: a Chinese organisation's legal ending misread put right:
 * "有限公" at the end with its last character lost or read as a
 * look-alike ("有限公局", "有限公可") is "有限公司"; one character after
 * the ending ("…有限公司二", a speck) goes. *fixed when changed. */
static const char *zh_org_repair(const char *s, struct arena *a, int *fixed)
{
	static const char stem[] = "有限公", end[] = "有限公司";
	const char *p = NULL;
	for (const char *q = strstr(s, stem); q; q = strstr(q + 1, stem))
		p = q;
	if (p == NULL)
		return s;
	const char *after = p + strlen(stem), *r = after;
	if (*r) {
		unsigned c = next_cp(&r);
		if (!is_cjk(c) || *r)
			return s;	/* more than one character after the stem */
		if (strncmp(after, "司", strlen("司")) == 0)
			return s;
	}
	*fixed = 1;
	return arena_printf(a, "%.*s%s", (int)(p - s), s, end);
}

/* zh_org_speck: a Chinese organisation without one character read after
 * its ending ("广州恒信软件有限责任公司二" is "…有限责任公司") */
static const char *zh_org_speck(const char *v, struct arena *a)
{
	const char *last = NULL;
	for (size_t i = 0; zh_org[i]; i++)
		for (const char *q = strstr(v, zh_org[i]); q; q = strstr(q + 1, zh_org[i]))
			if (last == NULL || q + strlen(zh_org[i]) > last)
				last = q + strlen(zh_org[i]);
	if (last == NULL || *last == '\0')
		return v;
	const char *r = last;
	while (*r == ' ')
		r++;
	next_cp(&r);
	while (*r == ' ')
		r++;
	return *r ? v : arena_strndup(a, v, (size_t)(last - v));
}

/* split_title_dept: a Chinese title line that also names a department
 * ("研发部 高级工程师"): the department's word goes to *dept */
static const char *split_title_dept(const char *v, struct arena *a, const char **dept)
{
	*dept = NULL;
	const char *sp = strchr(v, ' ');
	if (sp == NULL || count_cjk(v) == 0)
		return v;
	char *first = arena_strndup(a, v, (size_t)(sp - v));
	const char *rest = sp + 1;
	for (size_t i = 0; zh_dept_end[i]; i++) {
		if (ends_with(first, zh_dept_end[i]) && !count_markers(first, zh_title)) {
			*dept = first;
			return rest;
		}
		if (ends_with(rest, zh_dept_end[i]) && !count_markers(rest, zh_title)) {
			*dept = rest;
			return first;
		}
	}
	return v;
}

/* one_edit: a and b differ by exactly one character inserted, deleted or
 * replaced */
static int one_edit(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la < lb) {
		const char *t = a;
		a = b;
		b = t;
		size_t tl = la;
		la = lb;
		lb = tl;
	}
	if (la - lb > 1)
		return 0;
	size_t i = 0;
	while (i < lb && a[i] == b[i])
		i++;
	if (la == lb)
		return i < la && strcmp(a + i + 1, b + i + 1) == 0;
	return strcmp(a + i + 1, b + i) == 0;
}

/* Tesseract's confidence (0..1) below which an e-mail line may be put right
 * by the card's name */
#define EMAIL_UNSURE 0.85

/* email_by_name: an e-mail read uncertainly whose local part is one
 * character off a usual form of the card's Latin name ("pgarcla" for
 * Peter Garcia's "pgarcia", "clairejohnsn" for "clairejohnson": l/i and
 * a lost or gained letter are the usual misreadings) is taken as that form, its
 * confidence lowered like any repair. A local part that is one of the
 * forms, or near none or several, stays. */
static void email_by_name(struct cardfield *e, const char *name, struct arena *a)
{
	char w[2][64];
	int n = 0;
	const char *p = name;
	if (e->confidence >= EMAIL_UNSURE || count_cjk(name))
		return;
	while (*p && n < 3) {
		while (*p == ' ')
			p++;
		size_t k = 0;
		for (; *p && *p != ' '; p++)
			if (isalpha((unsigned char)*p) && k < sizeof(w[0]) - 1 && n < 2)
				w[n][k++] = (char)tolower((unsigned char)*p);
		if (k && n < 2)
			w[n][k] = '\0';
		n += k > 0;
	}
	if (n != 2 || strlen(w[0]) < 2 || strlen(w[1]) < 2)
		return;
	const char *at = strchr(e->value, '@');
	if (at == NULL)
		return;
	char *local = arena_strndup(a, e->value, (size_t)(at - e->value));
	const char *forms[] = {
		arena_printf(a, "%s.%s", w[0], w[1]), arena_printf(a, "%s_%s", w[0], w[1]),
		arena_printf(a, "%s%s", w[0], w[1]), arena_printf(a, "%c%s", w[0][0], w[1]),
		arena_printf(a, "%c.%s", w[0][0], w[1]), w[0], w[1],
	};
	const char *near = NULL;
	int n_near = 0;
	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		if (strcmp(local, forms[i]) == 0)
			return;
		if (strlen(local) >= 4 && one_edit(local, forms[i])) {
			near = forms[i];
			n_near++;
		}
	}
	if (n_near != 1)
		return;
	e->value = arena_printf(a, "%s%s", near, at);
	e->confidence *= 0.85;
}

void cardfields_extract(const struct ocr_line *lines, size_t n, int width, int height,
			const char *default_country, struct arena *a, struct cardfields *out)
{
	enum line_kind *kind = arena_alloc(a, (n + 1) * sizeof(*kind));
	size_t cjk = 0, all = 0;

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < n; i++) {
		cjk += count_cjk(lines[i].text);
		all += count_chars(lines[i].text);
	}
	out->cjk = all && cjk * 5 >= all;
	for (size_t i = 0; i < n; i++) {
		const char *v, *ptype, *text = lines[i].text;
		double conf = lines[i].conf / 100.0;
		int fixed = 0, org_fixed = 0;
		text = zh_org_repair(text, a, &org_fixed);
		kind[i] = classify(text, &v, &ptype);
		switch (kind[i]) {
		case LK_EMAIL: {
			const char *e = find_email(v, a, v != text, &fixed);
			if (e)
				add_item(out->emails, &out->n_emails, e, conf * (fixed ? 0.85 : 1));
			else
				kind[i] = LK_NONE;
			break;
		}
		case LK_URL: {
			const char *u = find_url(v, a, 1, &fixed);
			if (u)
				add_item(out->urls, &out->n_urls, u, conf * (fixed ? 0.85 : 1));
			else
				kind[i] = LK_NONE;
			break;
		}
		case LK_PHONE: {
			const char *ph = find_phone(v, default_country, a);
			if (ph == NULL) {
				kind[i] = LK_NONE;
				break;
			}
			size_t k = out->n_phones;
			add_item(out->phones, &out->n_phones, ph, conf);
			if (out->n_phones > k) {
				const char *t = ptype ? ptype : "work";
				/* a Chinese mobile number: +86 1[3-9]xxxxxxxxx */
				if (!ptype && strncmp(ph, "+861", 4) == 0 && strlen(ph) == 14)
					t = "cell";
				out->phone_types[k] = t;
			}
			break;
		}
		case LK_ADDRESS: {
			const char *addr = v;
			/* an English address on two lines: "..., Suite 4" + "Austin, TX 78701" */
			if (i + 1 < n && count_cjk(v) == 0 && !en_address(v) == 0 && lines[i + 1].y > lines[i].y &&
			    en_address(lines[i + 1].text) && !isdigit((unsigned char)lines[i + 1].text[0]) &&
			    abs(lines[i + 1].x - lines[i].x) < lines[i].h * 2 && !ends_with(v, "0") &&
			    strchr(v, ',') == NULL) {
				addr = arena_printf(a, "%s, %s", v, lines[i + 1].text);
				kind[i + 1] = LK_ADDRESS;
				i++;
			}
			set_field(&out->address, trim_junk(addr, 1, a), conf);
			break;
		}
		case LK_ORG:
			set_field(&out->organization, org_tail(trim_junk(zh_org_speck(v, a), 0, a), a),
				  conf * (org_fixed ? 0.85 : 1));
			break;
		case LK_TITLE: {
			const char *dept, *name;
			const char *t = split_name_title(v, a, &name);
			if (name)
				set_field(&out->name, name, conf * 0.95);
			t = split_title_dept(t, a, &dept);
			if (dept)
				set_field(&out->department, trim_junk(dept, 0, a), conf);
			set_field(&out->title, trim_junk(t, 0, a), conf);
			break;
		}
		case LK_DEPT:
			set_field(&out->department, trim_junk(v, 0, a), conf);
			break;
		default:
			break;
		}
		/* phone lines often hide a second kind: "Tel ... Fax ..." is left as one */
		(void)width;
	}
	/* a URL without "www" that is the e-mail's domain */
	if (out->n_urls == 0 && out->n_emails)
		for (size_t i = 0; i < n; i++) {
			int fixed = 0;
			if (kind[i] != LK_NONE)
				continue;
			const char *u = find_url(lines[i].text, a, 0, &fixed);
			const char *dom = strchr(out->emails[0].value, '@');
			if (u && dom && strcmp(u, dom + 1) == 0) {
				add_item(out->urls, &out->n_urls, u, lines[i].conf / 100.0 * 0.8);
				kind[i] = LK_URL;
			}
		}
	/* the name: the largest remaining line that reads as a name */
	int nl = -1;
	double best = 0;
	for (size_t i = 0; i < n; i++) {
		if (kind[i] != LK_NONE)
			continue;
		double score = lines[i].h * (looks_like_name(lines[i].text) ? 1.5 : 1);
		if (height > 0 && lines[i].y > height * 3 / 4)
			score *= 0.6;
		if (count_chars(lines[i].text) < 2)
			continue;
		if (score > best) {
			best = score;
			nl = (int)i;
		}
	}
	if (nl >= 0) {
		const char *t = lines[nl].text, *sp = strchr(t, ' ');
		/* a name with more on its row: the first part, when it reads as one */
		if (sp && !looks_like_name(t)) {
			char *first = arena_strndup(a, t, (size_t)(sp - t));
			if (looks_like_name(first))
				t = first;
		}
		/* a Chinese name run into more by a mark ("丁瑞红。和为…"): its
		 * first run of Chinese characters, when that reads as a name */
		if (out->cjk && !looks_like_name(t)) {
			const char *p = t, *b = NULL, *e = NULL;
			while (*p) {
				const char *at = p;
				int c = is_cjk(next_cp(&p));
				if (c && !b)
					b = at;
				if (!c && b) {
					e = at;
					break;
				}
			}
			if (b && e) {
				char *run = arena_strndup(a, b, (size_t)(e - b));
				if (looks_like_name(run))
					t = run;
			}
		}
		double conf = lines[nl].conf / 100.0 * (looks_like_name(t) ? 1 : 0.5);
		if (out->cjk && count_cjk(t) >= 2) {
			/* keep the Chinese characters of a name read with junk around it */
			char *only = arena_alloc(a, strlen(t) + 1), *o = only;
			for (const char *p = t; *p;) {
				const char *at = p;
				if (is_cjk(next_cp(&p))) {
					memcpy(o, at, (size_t)(p - at));
					o += p - at;
				}
			}
			*o = '\0';
			if (strcmp(only, t) != 0)
				conf *= 0.8;
			t = only;
		}
		/* a line that reads as a name wins over one split off a title row */
		if (looks_like_name(t) || out->name.value == NULL)
			out->name.value = NULL, set_field(&out->name, t, conf);
	}
	/* e-mails read uncertainly, put right by the name */
	if (out->name.value)
		for (size_t i = 0; i < out->n_emails; i++)
			email_by_name(&out->emails[i], out->name.value, a);
	(void)width;
}

/* field_json: {"value", "confidence", "check"} or null */
static json_t *field_json(const struct cardfield *f)
{
	if (f->value == NULL)
		return json_null();
	return json_pack("{s:s, s:f, s:b}", "value", f->value, "confidence",
			 (double)(int)(f->confidence * 100 + 0.5) / 100, "check",
			 f->confidence < CARDFIELDS_LOW);
}

json_t *cardfields_json(const struct cardfields *f)
{
	json_t *emails = json_array(), *phones = json_array(), *urls = json_array();
	for (size_t i = 0; i < f->n_emails; i++)
		json_array_append_new(emails, field_json(&f->emails[i]));
	for (size_t i = 0; i < f->n_phones; i++) {
		json_t *p = field_json(&f->phones[i]);
		json_object_set_new(p, "type", json_string(f->phone_types[i] ? f->phone_types[i] : "work"));
		json_array_append_new(phones, p);
	}
	for (size_t i = 0; i < f->n_urls; i++)
		json_array_append_new(urls, field_json(&f->urls[i]));
	return json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
			 "full_name", field_json(&f->name), "title", field_json(&f->title),
			 "organization", field_json(&f->organization),
			 "department", field_json(&f->department), "address", field_json(&f->address),
			 "emails", emails, "phones", phones, "urls", urls);
}

void cardfields_merge(struct cardfields *dst, const struct cardfields *src)
{
	struct cardfield *d[] = {&dst->name, &dst->title, &dst->organization, &dst->department, &dst->address};
	const struct cardfield *s[] = {&src->name, &src->title, &src->organization, &src->department,
				       &src->address};
	for (size_t i = 0; i < sizeof(d) / sizeof(d[0]); i++)
		if (d[i]->value == NULL && s[i]->value)
			*d[i] = *s[i];
	for (size_t i = 0; i < src->n_emails; i++)
		add_item(dst->emails, &dst->n_emails, src->emails[i].value, src->emails[i].confidence);
	for (size_t i = 0; i < src->n_urls; i++)
		add_item(dst->urls, &dst->n_urls, src->urls[i].value, src->urls[i].confidence);
	for (size_t i = 0; i < src->n_phones; i++) {
		size_t k = dst->n_phones;
		add_item(dst->phones, &dst->n_phones, src->phones[i].value, src->phones[i].confidence);
		if (dst->n_phones > k)
			dst->phone_types[k] = src->phone_types[i];
	}
}
