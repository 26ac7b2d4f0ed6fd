/* livecard-imaged.c: the image decoding helper: the one program that links libvips, executed by lib/image.c under lib/sandbox.c's limits and filter for each upload. */
#include <stdio.h>
#include <string.h>

#include "imagecodec.h"
#include "sandbox.h"

/* main: run the task the worker started this program for (lib/sandbox.h:
 * the job on SANDBOX_IN_FD, the answer on SANDBOX_OUT_FD); started by hand,
 * it says what it is and exits with 2. */
int main(void)
{
	const char *task = sandbox_task();

	if (task == NULL || strcmp(task, "image") != 0) {
		fprintf(stderr, "livecard-imaged: the image decoder of livecard's workers; "
				"not to be run by hand\n");
		return 2;
	}
	return image_child_main();
}
