/* cardfields.h: business-card fields read from OCR lines (text, box, confidence) by pattern and layout. */
#ifndef LIVECARD_CARDFIELDS_H
#define LIVECARD_CARDFIELDS_H

#include <stddef.h>

#include <jansson.h>

#include "arena.h"

/* One line of text as the OCR read it: UTF-8 text, its box in pixels of the
 * page (x, y: top left) and the OCR's confidence 0..100. */
struct ocr_line {
	const char *text;
	int x, y, w, h;
	float conf;
	int first_w;	/* width of the text before the first space, 0: no space */
};

#define CARDFIELDS_MAX_ITEMS 4	/* e-mails, phones, URLs kept per card */
#define CARDFIELDS_LOW 0.70	/* below this a field is marked for checking */

/* One proposed value and how sure the reading is (0..1). */
struct cardfield {
	const char *value;	/* NULL: not found */
	double confidence;
};

/* The fields proposed for a card. */
struct cardfields {
	struct cardfield name, title, organization, department, address;
	struct cardfield emails[CARDFIELDS_MAX_ITEMS], phones[CARDFIELDS_MAX_ITEMS],
		urls[CARDFIELDS_MAX_ITEMS];
	const char *phone_types[CARDFIELDS_MAX_ITEMS];	/* "work", "cell", "fax" */
	size_t n_emails, n_phones, n_urls;
	int cjk;		/* the card is mostly Chinese */
};

/* cardfields_clean_text: s with the spaces OCR puts between Chinese
 * characters (and between them and digits) removed, runs of spaces made
 * one, trimmed; in a. */
char *cardfields_clean_text(const char *s, struct arena *a);

/* cardfields_name_line: the index of the line most likely to hold the
 * person's name (the tallest line that is no contact, organisation, title
 * or address line), or -1. The OCR reads it a second time (lib/ocr.c). */
int cardfields_name_line(const struct ocr_line *lines, size_t n, int width, int height);

/* cardfields_extract: the fields of a card from its lines: e-mails, phones
 * (E.164 with default_country for national numbers; NULL: international
 * only) and URLs by pattern (e-mail and URL domains repaired against a list
 * of known endings), then organisation, title, department and address by
 * their words (有限公司/集团/研究院, Inc./Ltd., 经理/Director, 省/市/区/路/号,
 * Street/Ave + ZIP) and the name by size and position. Strings in a. */
void cardfields_extract(const struct ocr_line *lines, size_t n, int width, int height,
			const char *default_country, struct arena *a, struct cardfields *out);

/* cardfields_contact_key: the e-mail (v holds an "@") or web address in
 * v as cardfields_extract would read it (repaired, lower case), to tell
 * whether two readings of one line say the same; NULL if none. */
const char *cardfields_contact_key(const char *v, struct arena *a);

/* cardfields_is_org: the line reads as an organisation (有限公司, 集团,
 * Ltd., GmbH ... and no stronger kind: no label, e-mail, phone, address),
 * as cardfields_extract reads it (有限公 with its 司 lost is one) */
int cardfields_is_org(const char *text);

/* cardfields_is_title: the line reads as a title (经理, 总监, Manager ...
 * and no stronger kind) */
int cardfields_is_title(const char *text);

/* cardfields_surname: s (spaces aside) begins with a common Chinese
 * surname (a list of the most frequent, about 250) */
int cardfields_surname(const char *s);

/* cardfields_merge: fill what dst lacks from src (a card's back): empty
 * text fields, and the e-mails, phones and URLs dst does not have. */
void cardfields_merge(struct cardfields *dst, const struct cardfields *src);

/* cardfields_json: the fields as the scan API shows them (new reference):
 * {"full_name": {"value", "confidence", "check"}, "title", "organization",
 * "department", "address", "emails": [...], "phones": [{"value", "type",
 * "confidence", "check"}], "urls": [...]}; check is true below
 * CARDFIELDS_LOW; absent fields are null / empty lists. */
json_t *cardfields_json(const struct cardfields *f);

#endif
