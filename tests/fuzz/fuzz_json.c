/* fuzz_json.c: libFuzzer harness for JSON request bodies: jansson with the request layer's flags, then every declared input type's validator (fuzz_request.c's machinery, the input is the body). */
#define FUZZ_JSON_BODY 1
#include "fuzz_request.c"
