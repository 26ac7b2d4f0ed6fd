/* share.c: module 101's public card page /c/{token}: the shared fields, front image, QR code and vCard, no sign-in. */
#include <string.h>

#include "auth.h"
#include "cardface.h"
#include "config.h"
#include "http.h"
#include "imagestore.h"
#include "folder.h"
#include "owncard.h"
#include "qr.h"
#include "tmpl.h"
#include "vcard.h"
#include "vcardmap.h"

static const char *const version_choices[] = {"4.0", "3.0", NULL};

/* shared_card: the card behind the link in r->params[0], reduced to what
 * its owner shares; a rotated or unknown token is 404 like any missing page. */
static enum err shared_card(struct req *r, struct owncard *c)
{
	enum err e = owncard_by_token(r->db, &r->arena, r->params[0], c);
	if (e == ERR_NOT_FOUND)
		return req_fail(r, ERR_NOT_FOUND, "not_found", NULL, "no such card");
	if (e != ERR_OK)
		return e;
	owncard_shared_view(c);
	return ERR_OK;
}

static const char *page_path(struct req *r, const struct owncard *c)
{
	return arena_printf(&r->arena, "/c/%s", c->share_token);
}

static enum err page_public(struct req *r)
{
	struct owncard c;
	const char *locale = r->locale ? r->locale : tmpl_locale(cfg.default_locale), *face, *name = NULL;
	enum err e = owncard_text_by_token(r->db, &r->arena, r->params[0], &c);

	if (e == ERR_NOT_FOUND)
		return req_fail(r, ERR_NOT_FOUND, "not_found", NULL, "no such card");
	if (e != ERR_OK)
		return e;
	/* the card's face drawn in C (lib/cardface.c, what the card_show
	 * macro renders), shown unescaped by public_card.cs: building the
	 * card's data set and evaluating the macro were half the page; a card
	 * shown unchanged since this process drew it is neither parsed nor
	 * drawn again (card_face_memo_get: the very stored bytes) */
	face = card_face_memo_get(c.id, locale, c.visible, c.stored, c.phones_shown, &name);
	if (face == NULL) {
		STRING s;
		if ((e = owncard_parse(&c, &r->arena)) != ERR_OK)
			return e;
		owncard_shared_view(&c);
		string_init(&s);
		if ((e = card_face_html(&s, &c.card, c.phones_shown, locale, &r->arena)) != ERR_OK ||
		    s.buf == NULL) {
			string_clear(&s);
			return e == ERR_OK ? ERR_INTERNAL : e;
		}
		face = arena_strndup(&r->arena, s.buf, s.len);
		string_clear(&s);
		name = c.card.full_name ? c.card.full_name : "";
		card_face_memo_put(c.id, locale, c.visible, c.stored, c.phones_shown, face, name);
	} else {
		owncard_shared_view(&c);	/* the images (the card is empty) */
	}
	const char *path = page_path(r, &c);
	req_set(r, "Card.Face", face);
	req_set(r, "Card.FullName", name);
	req_set(r, "Card.UpdatedAt", c.updated_at);
	req_set(r, "Public.Token", c.share_token);
	req_set(r, "Public.Path", path);
	req_set(r, "Public.Url", req_url(r, path));
	req_set(r, "Public.Front", c.front_image);
	req_set(r, "Public.Back", c.back_image);
	if (r->user && r->user->id == c.user_id)
		req_set(r, "Public.IsOwner", "1");
	/* a member who already keeps this card (saved from its link) is shown
	 * the copy in the folder instead of a second save button */
	if (r->user && r->user->id != c.user_id) {
		long long saved;
		if ((e = folder_linked_copy(r->db, &r->arena, r->user->id, c.id, 0, &saved)) != ERR_OK)
			return e;
		if (saved)
			req_setf(r, "Public.SavedEntry", "%lld", saved);
	}
	/* the save form (signed in) and the subscribe form (anyone) post back */
	auth_form_token(r);
	req_add_header(r, "X-Robots-Tag: noindex, nofollow");
	return req_html(r, 200, "public_card.cs");
}

enum { VC_VERSION };
static const struct input in_vcf[] = {
	[VC_VERSION] = {"version", IN_ENUM, SRC_QUERY, 0, 0, 0, version_choices},
	{NULL},
};

/* public_vcf: the shared fields as a vCard; the front image's thumbnail is
 * embedded when shared, since address books rarely fetch photo URLs and
 * this one would die with the link. */
static enum err public_vcf(struct req *r)
{
	struct owncard c;
	size_t len;
	char *text;
	enum err e = shared_card(r, &c);

	if (e != ERR_OK)
		return e;
	struct vcardmap_card m = {.card = &c.card, .uid = owncard_uid(&c, &r->arena), .updated_at = c.updated_at,
				  .front = c.front_image, .thumb = 1,
				  .version = r->in[VC_VERSION].present && r->in[VC_VERSION].num == 1 ? VCARD_V3 : VCARD_V4};
	if ((e = vcardmap_write(r->db, &r->arena, &m, &text, &len)) != ERR_OK)
		return e;
	req_add_header(r, "Content-Disposition: attachment; filename=\"card.vcf\"");
	req_add_header(r, "Cache-Control: no-store");
	req_add_header(r, "X-Robots-Tag: noindex");
	return req_raw(r, 200, "text/vcard; charset=utf-8", text, len);
}

static enum err public_qr(struct req *r)
{
	struct owncard c;
	enum err e = shared_card(r, &c);
	if (e != ERR_OK)
		return e;
	char *svg = qr_svg(req_url(r, page_path(r, &c)), tmpl_text(r->locale, "Card.Public.QR"), &r->arena);
	if (svg == NULL)
		return req_fail(r, ERR_INTERNAL, NULL, NULL, "cannot draw the QR code");
	req_add_header(r, "Cache-Control: no-cache");
	req_add_header(r, "Content-Security-Policy: default-src 'none'");
	return req_raw(r, 200, "image/svg+xml", svg, strlen(svg));
}

enum { IM_THUMB, IM_V };
static const struct input in_image[] = {
	[IM_THUMB] = {"thumb", IN_BOOL, SRC_QUERY, 0, 0, 0, NULL},
	[IM_V] = {"v", IN_TOKEN, SRC_QUERY, 0, 1, 64, NULL},
	{NULL},
};

/* public_image: an image of the card, only while the link lives and only
 * when its owner shares that side. */
static enum err public_image(struct req *r)
{
	struct owncard c;
	enum err e = shared_card(r, &c);
	if (e != ERR_OK)
		return e;
	const char *hash = strcmp(r->params[1], "back") == 0 ? c.back_image : c.front_image;
	if (hash == NULL)
		return req_fail(r, ERR_NOT_FOUND, "no_image", NULL, "no such image");
	return imagestore_serve(r, hash, r->in[IM_THUMB].num != 0);
}

static const struct route routes[] = {
	{"GET", "/c/{token}", AUTH_NONE, BODY_NONE, NULL, page_public},
	{"GET", "/c/{token}.vcf", AUTH_NONE, BODY_NONE, in_vcf, public_vcf},
	{"GET", "/c/{token}/qr.svg", AUTH_NONE, BODY_NONE, NULL, public_qr},
	{"GET", "/c/{token}/images/{side}", AUTH_NONE, BODY_NONE, in_image, public_image},
	{NULL},
};

int main(int argc, char **argv)
{
	return app_run(argc, argv, "share", routes, NULL);
}
