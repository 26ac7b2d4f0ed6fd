/* tap.h: a minimal TAP producer for the C unit tests (prove reads it). */
#ifndef LIVECARD_TAP_H
#define LIVECARD_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

/* ok: one test point; cond true passes. */
#define ok(cond, ...) tap_ok_((cond) ? 1 : 0, __FILE__, __LINE__, __VA_ARGS__)

/* is_str: compare two strings (NULL-safe) as one test point. */
#define is_str(got, want, ...) tap_is_str_((got), (want), __FILE__, __LINE__, __VA_ARGS__)

/* is_int: compare two integers as one test point. */
#define is_int(got, want, ...) tap_is_int_((long long)(got), (long long)(want), __FILE__, __LINE__, __VA_ARGS__)

__attribute__((format(printf, 4, 5)))
static int tap_ok_(int pass, const char *file, int line, const char *fmt, ...)
{
	va_list ap;
	tap_n++;
	printf("%s %d - ", pass ? "ok" : "not ok", tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!pass) {
		tap_failed++;
		printf("#   failed at %s line %d\n", file, line);
	}
	fflush(stdout);
	return pass;
}

__attribute__((format(printf, 5, 6)))
static int tap_is_str_(const char *got, const char *want, const char *file, int line, const char *fmt, ...)
{
	int pass = (got == NULL && want == NULL) ||
		   (got && want && strcmp(got, want) == 0);
	va_list ap;
	tap_n++;
	printf("%s %d - ", pass ? "ok" : "not ok", tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!pass) {
		tap_failed++;
		printf("#   failed at %s line %d\n#          got: '%s'\n#     expected: '%s'\n",
		       file, line, got ? got : "(null)", want ? want : "(null)");
	}
	fflush(stdout);
	return pass;
}

__attribute__((format(printf, 5, 6)))
static int tap_is_int_(long long got, long long want, const char *file, int line, const char *fmt, ...)
{
	int pass = got == want;
	va_list ap;
	tap_n++;
	printf("%s %d - ", pass ? "ok" : "not ok", tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!pass) {
		tap_failed++;
		printf("#   failed at %s line %d\n#          got: %lld\n#     expected: %lld\n",
		       file, line, got, want);
	}
	fflush(stdout);
	return pass;
}

/* done_testing: print the plan and return the exit status for main. */
static inline int done_testing(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

#endif
