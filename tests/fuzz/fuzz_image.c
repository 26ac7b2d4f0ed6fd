/* fuzz_image.c: libFuzzer harness for image uploads: image_process (lib/image.c), the function imagestore_put hands every upload to. */
/*
 * The decoding runs in this process here (image_sandbox_set(0)): libFuzzer
 * needs the coverage of libvips and of image.c's encode path where it can
 * see it, and a crash there is what the harness is looking for. The
 * sniffing, the header checks and the limits are the same as for uploads;
 * the limits are small so that each input is quick.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "image.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	struct image_limits lim = {
		.max_bytes = 1u << 20,
		.max_pixels = 4000000,
		.max_side = 4000,
		.max_long_side = 256,
		.thumb_side = 64,
	};
	struct image_out out;
	struct errinfo ei = {0};

	if (!ready) {
		image_sandbox_set(0);
		if (image_init() != ERR_OK)
			__builtin_trap();
		ready = 1;
	}
	enum err e = image_process(data, size, &lim, &out, &ei);
	if (e == ERR_OK) {
		if (out.data == NULL || out.len == 0 || out.thumb == NULL || out.thumb_len == 0 ||
		    out.width <= 0 || out.height <= 0 || out.width > 256 || out.height > 256 ||
		    out.thumb_width > 64 || out.thumb_height > 64 || strlen(out.sha256) != 64)
			__builtin_trap();
	} else if (out.data != NULL || out.thumb != NULL || ei.err != e) {
		__builtin_trap();
	}
	image_out_free(&out);
	return 0;
}
