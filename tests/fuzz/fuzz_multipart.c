/* fuzz_multipart.c: libFuzzer harness for multipart bodies: http_multipart_check (lib/http.c), then what it accepts through req_handle and ClearSilver's parse_rfc2388 (fuzz_request.c's machinery). */
/*
 * The input is  Content-Type \0 body. A body the check refuses never reaches
 * ClearSilver; one it accepts must then parse without a crash, whatever the
 * state earlier requests left in the parser (the crash of issue 17 finding
 * 1 needed a normal multipart request before the bad one: in-process
 * fuzzing keeps that state between inputs as a worker does). Built only
 * when lib/http.h declares http_multipart_check (GNUmakefile).
 */
#define FUZZ_MULTIPART 1
#include "fuzz_request.c"
