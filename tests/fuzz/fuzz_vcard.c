/* fuzz_vcard.c: libFuzzer harness for vcard_parse and vcard_write (lib/vcard.c). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "vcard.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct arena a;
	struct vcard_result r;
	struct vcard_parse_opts o;
	size_t i, len;

	/* small limits so that the limit paths are reached too */
	memset(&o, 0, sizeof(o));
	o.max_cards = 64;
	o.max_props = 256;
	o.max_line = 16384;
	o.max_photo = 8192;
	arena_reset(&a);
	if (vcard_parse_ex((const char *)data, size, &o, &a, &r) != ERR_OK)
		return 0;
	for (i = 0; i < r.n_cards; i++) {
		const struct vcard_parsed *vp = &r.cards[i];
		struct vcard_write_opts wo;
		char *s;

		memset(&wo, 0, sizeof(wo));
		wo.version = (i & 1) ? VCARD_V3 : VCARD_V4;
		wo.uid = vp->uid;
		wo.rev = vp->rev;
		wo.photo_uri = vp->photo_uri;
		wo.photo = vp->photo;
		wo.photo_len = vp->photo_len;
		wo.photo_mime = vp->photo_mime;
		s = vcard_write(&vp->card, &wo, &a, &len);
		if (s == NULL || strlen(s) != len)
			__builtin_trap();
		/* what we write must parse back to one good card */
		{
			struct vcard_result back;
			if (vcard_parse(s, len, &a, &back) != ERR_OK || back.n_cards != 1 ||
			    back.n_broken != 0)
				__builtin_trap();
		}
	}
	arena_reset(&a);
	return 0;
}
