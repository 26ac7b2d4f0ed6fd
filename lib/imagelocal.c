/* imagelocal.c: image_sandbox_set, the switch to decoding in this process (for the fuzzer and the tests); only its callers link libvips. */
#include "imagecodec.h"

void image_sandbox_set(int on)
{
	image_local_encode = on ? NULL : image_encode_local;
}
