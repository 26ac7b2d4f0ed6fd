/* ocr-read.c: read card images as the OCR worker does (upload re-encoding, then lib/ocr.c and lib/cardfields.c) and print one JSON line per image, for make bench-ocr. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <jansson.h>

#include "arena.h"
#include "cardfields.h"
#include "image.h"
#include "ocr.h"

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

/* cpu_ms: CPU time of this process and its reaped children so far */
static double cpu_ms(void)
{
	struct rusage s, c;
	getrusage(RUSAGE_SELF, &s);
	getrusage(RUSAGE_CHILDREN, &c);
	return (s.ru_utime.tv_sec + s.ru_stime.tv_sec + c.ru_utime.tv_sec + c.ru_stime.tv_sec) * 1000.0 +
	       (s.ru_utime.tv_usec + s.ru_stime.tv_usec + c.ru_utime.tv_usec + c.ru_stime.tv_usec) / 1000.0;
}

static unsigned char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	rewind(f);
	unsigned char *b = malloc(n > 0 ? (size_t)n : 1);
	*len = fread(b, 1, n > 0 ? (size_t)n : 0, f);
	fclose(f);
	return b;
}

int main(int argc, char **argv)
{
	const char *country = getenv("OCR_COUNTRY") ? getenv("OCR_COUNTRY") : "CN";
	int show_lines = getenv("OCR_LINES") != NULL;
	struct arena a;
	double t0 = now_ms();

	if (argc < 2) {
		fprintf(stderr, "usage: ocr-read IMAGE...\n");
		return 2;
	}
	arena_init(&a);
	if (ocr_init(NULL) != ERR_OK)
		return 1;
	fprintf(stderr, "ocr-read: models loaded in %.0f ms\n", now_ms() - t0);
	for (int i = 1; i < argc; i++) {
		size_t len = 0;
		unsigned char *data = slurp(argv[i], &len);
		struct image_out im = {0};
		struct errinfo ei = {0};
		struct ocr_page page;
		struct cardfields f;
		json_t *o;

		if (data == NULL) {
			fprintf(stderr, "ocr-read: cannot read %s\n", argv[i]);
			continue;
		}
		double t1 = now_ms();
		enum err e = image_process(data, len, NULL, &im, &ei);
		double t2 = now_ms(), c2 = cpu_ms();
		if (e == ERR_OK)
			e = ocr_read(im.data, im.len, &a, &page, &ei);
		double t3 = now_ms(), c3 = cpu_ms();
		if (e != ERR_OK) {
			o = json_pack("{s:s, s:s}", "file", argv[i], "error", ei.code ? ei.code : "error");
		} else {
			cardfields_extract(page.lines, page.n, page.width, page.height, country, &a, &f);
			o = json_pack("{s:s, s:o, s:f, s:f, s:f, s:f, s:f, s:b}", "file", argv[i], "fields",
				      cardfields_json(&f), "upload_ms", t2 - t1, "read_ms", t3 - t2, "cpu_ms", c3 - c2,
				      "prep_ms", page.prep_ms, "ocr_ms", page.ocr_ms, "cropped", page.cropped);
			if (show_lines) {
				json_t *ls = json_array();
				for (size_t k = 0; k < page.n; k++)
					json_array_append_new(ls, json_pack("{s:s, s:i, s:i, s:i, s:i, s:f}", "text",
									    page.lines[k].text, "x", page.lines[k].x,
									    "y", page.lines[k].y, "w", page.lines[k].w,
									    "h", page.lines[k].h, "conf",
									    (double)page.lines[k].conf));
				json_object_set_new(o, "lines", ls);
			}
		}
		char *s = json_dumps(o, JSON_COMPACT);
		puts(s);
		fflush(stdout);
		free(s);
		json_decref(o);
		image_out_free(&im);
		free(data);
		arena_reset(&a);
	}
	ocr_shutdown();
	arena_reset(&a);
	return 0;
}
