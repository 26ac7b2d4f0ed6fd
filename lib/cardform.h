/* cardform.h: the card editor form shared by the own card and the folder pages. */
#ifndef LIVECARD_CARDFORM_H
#define LIVECARD_CARDFORM_H

#include <jansson.h>

#include "http.h"

#define CARDFORM_MAX_TEXT 65536	/* lax form limit: card_from_json has the real ones */
#define CARDFORM_MAX_ROWS 100	/* rows read per list, at most */
#define CARDFORM_BLANK_ROWS 2	/* empty rows offered under each list to add items */

/* The single-valued fields of the editor, in the order CARDFORM_INPUTS
 * declares them (r->in[base + CFI_...]). */
enum cardform_input {
	CFI_FULL_NAME, CFI_ORG, CFI_DEPT, CFI_TITLE, CFI_NOTE,
	CFI_FAMILY, CFI_GIVEN, CFI_ADDITIONAL, CFI_PREFIX, CFI_SUFFIX,
	CFI__MAX
};

/* CARDFORM_INPUTS(base): the declared inputs of the editor's text fields,
 * placed at index base of a route's input table. The lists (emails, phones,
 * addresses, URLs) are rows named <list>.<i>.<part>, read by cardform_json. */
#define CARDFORM_INPUTS(base) \
	[(base) + CFI_FULL_NAME] = {"full_name", IN_TEXT, SRC_BODY, 0, 0, CARDFORM_MAX_TEXT, NULL}, \
	[(base) + CFI_ORG] = {"organization", IN_TEXT, SRC_BODY, 0, 0, CARDFORM_MAX_TEXT, NULL}, \
	[(base) + CFI_DEPT] = {"department", IN_TEXT, SRC_BODY, 0, 0, CARDFORM_MAX_TEXT, NULL}, \
	[(base) + CFI_TITLE] = {"title", IN_TEXT, SRC_BODY, 0, 0, CARDFORM_MAX_TEXT, NULL}, \
	[(base) + CFI_NOTE] = {"note", IN_TEXT, SRC_BODY, 0, 0, CARDFORM_MAX_TEXT, NULL}, \
	[(base) + CFI_FAMILY] = {"name.family", IN_TEXT, SRC_BODY, 0, 0, CARDFORM_MAX_TEXT, NULL}, \
	[(base) + CFI_GIVEN] = {"name.given", IN_TEXT, SRC_BODY, 0, 0, CARDFORM_MAX_TEXT, NULL}, \
	[(base) + CFI_ADDITIONAL] = {"name.additional", IN_TEXT, SRC_BODY, 0, 0, CARDFORM_MAX_TEXT, NULL}, \
	[(base) + CFI_PREFIX] = {"name.prefix", IN_TEXT, SRC_BODY, 0, 0, CARDFORM_MAX_TEXT, NULL}, \
	[(base) + CFI_SUFFIX] = {"name.suffix", IN_TEXT, SRC_BODY, 0, 0, CARDFORM_MAX_TEXT, NULL}

/* cardform_fill: the editor's values as Form.* (Form.full_name,
 * Form.name.family, Form.emails.<i>.type|value, ...) from a card object —
 * stored, or as just submitted — with CARDFORM_BLANK_ROWS empty rows under
 * each list, and the offered item types as Choices.<list>.<k>. */
void cardform_fill(struct req *r, const json_t *card);

/* cardform_json: the submitted editor as a card object (new reference) for
 * card_from_json, which then checks it exactly like an API body; the text
 * fields come from r->in[base + CFI_...]. Blank rows are dropped. NULL when
 * a row holds text that is not UTF-8. */
json_t *cardform_json(struct req *r, size_t base);

#endif
