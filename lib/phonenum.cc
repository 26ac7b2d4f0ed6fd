// phonenum.cc: the C interface of lib/phonenum.h over libphonenumber (Debian libphonenumber-dev).
#include "phonenum.h"

#include <phonenumbers/phonenumberutil.h>

#include <cstring>
#include <mutex>
#include <string>
#include <unordered_map>

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

namespace {

// The utility is made on first use, not at start: programs that never
// touch a phone number never load the metadata.
const PhoneNumberUtil *util()
{
	return PhoneNumberUtil::GetInstance();
}

void put(const std::string &s, char out[PHONENUM_MAX])
{
	size_t n = s.size() < PHONENUM_MAX - 1 ? s.size() : PHONENUM_MAX - 1;
	memcpy(out, s.data(), n);
	out[n] = '\0';
}

// region upper-cased, or "ZZ" (unknown) when it is not two letters.
std::string region_code(const char *region)
{
	std::string r = "ZZ";
	if (region && strlen(region) == 2) {
		for (size_t i = 0; i < 2; i++) {
			char c = region[i];
			if (c >= 'a' && c <= 'z')
				c = (char)(c - 'a' + 'A');
			if (c < 'A' || c > 'Z')
				return "ZZ";
			r[i] = c;
		}
	}
	return r;
}

// Only a '+' and digits reach libphonenumber: contact.c has read the
// punctuation, the "tel:" and the extension already.
bool digits_only(const char *in)
{
	const char *p = in;
	if (*p == '+')
		p++;
	if (*p == '\0')
		return false;
	for (; *p; p++) {
		if (*p < '0' || *p > '9')
			return false;
	}
	return true;
}

// The international forms made so far: a folder page shows the same
// numbers on every view, and each costs a parse and a format (tens of
// microseconds). Emptied when full, so it stays under about 100 kB.
constexpr size_t DISPLAY_CACHE_MAX = 1024;
std::unordered_map<std::string, std::string> display_cache;
std::mutex display_lock;

// Parse number in region; true when it is a valid number.
bool parse_valid(const PhoneNumberUtil *u, const std::string &number, const std::string &region,
		 PhoneNumber *n)
{
	return u->Parse(number, region, n) == PhoneNumberUtil::NO_PARSING_ERROR && u->IsValidNumber(*n);
}

} // namespace

extern "C" int phonenum_e164(const char *in, const char *region, char out[PHONENUM_MAX])
{
	out[0] = '\0';
	if (in == nullptr || !digits_only(in))
		return 0;
	try {
		const PhoneNumberUtil *u = util();
		PhoneNumber n;
		std::string s, number = in;
		// "00" is the international prefix of most countries: it is
		// read as one where the region's own rules do not make a valid
		// number of it (no region, or "0044 ..." written in the US)
		if (!parse_valid(u, number, region_code(region), &n) &&
		    !(number.compare(0, 2, "00") == 0 && parse_valid(u, "+" + number.substr(2), "ZZ", &n)))
			return 0;
		u->Format(n, PhoneNumberUtil::E164, &s);
		put(s, out);
		return 1;
	} catch (...) {
		return 0;
	}
}

extern "C" int phonenum_international(const char *e164, char out[PHONENUM_MAX])
{
	out[0] = '\0';
	if (e164 == nullptr)
		return 0;
	put(e164, out);
	if (e164[0] != '+' || !digits_only(e164))
		return 0;
	try {
		std::lock_guard<std::mutex> hold(display_lock);
		auto hit = display_cache.find(e164);
		if (hit != display_cache.end()) {
			put(hit->second, out);
			return 1;
		}
		const PhoneNumberUtil *u = util();
		PhoneNumber n;
		std::string s;
		if (u->Parse(e164, "ZZ", &n) != PhoneNumberUtil::NO_PARSING_ERROR)
			return 0;
		u->Format(n, PhoneNumberUtil::INTERNATIONAL, &s);
		if (display_cache.size() >= DISPLAY_CACHE_MAX)
			display_cache.clear();
		display_cache.emplace(e164, s);
		put(s, out);
		return 1;
	} catch (...) {
		return 0;
	}
}

extern "C" int phonenum_region(const char *e164, char out[3])
{
	out[0] = '\0';
	if (e164 == nullptr || e164[0] != '+' || !digits_only(e164))
		return 0;
	try {
		const PhoneNumberUtil *u = util();
		PhoneNumber n;
		std::string r;
		if (!parse_valid(u, e164, "ZZ", &n))
			return 0;
		u->GetRegionCodeForNumber(n, &r);
		if (r.size() != 2 || r == "ZZ")
			return 0;
		memcpy(out, r.data(), 2);
		out[2] = '\0';
		return 1;
	} catch (...) {
		return 0;
	}
}
