/* netguard.c: address checks for webhooks, at configuration and at delivery time. */
#include "netguard.h"

#include <netdb.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "config.h"

static int v4_public(uint32_t a)
{
	uint8_t b0 = a >> 24, b1 = (a >> 16) & 0xff, b2 = (a >> 8) & 0xff;
	if (b0 == 0 || b0 == 10 || b0 == 127)
		return 0;
	if (b0 == 169 && b1 == 254)
		return 0;
	if (b0 == 172 && (b1 & 0xf0) == 16)
		return 0;
	if (b0 == 192 && b1 == 168)
		return 0;
	if (b0 == 100 && (b1 & 0xc0) == 64)	/* 100.64/10 carrier-grade NAT */
		return 0;
	if (b0 == 192 && b1 == 0 && (b2 == 0 || b2 == 2))
		return 0;
	if (b0 == 198 && (b1 == 18 || b1 == 19))
		return 0;
	if ((b0 == 198 && b1 == 51 && b2 == 100) || (b0 == 203 && b1 == 0 && b2 == 113))
		return 0;
	if (b0 >= 224)				/* multicast, reserved, broadcast */
		return 0;
	return 1;
}

/* v4_at: the IPv4 address held in b[i..i+3]. */
static uint32_t v4_at(const uint8_t *b, int i)
{
	return ((uint32_t)b[i] << 24) | ((uint32_t)b[i + 1] << 16) | ((uint32_t)b[i + 2] << 8) | b[i + 3];
}

/* v6_public: whether a 16-byte IPv6 address is public. An address that
 * carries an IPv4 address a translator or tunnel may deliver to is only
 * as public as that IPv4 address: IPv4-compatible ::/96 (:: and ::1
 * included), IPv4-mapped ::ffff:0:0/96, SIIT ::ffff:0:0:0/96, NAT64
 * 64:ff9b::/96, 6to4 2002::/16 and Teredo 2001::/32 (server and client). */
static int v6_public(const uint8_t *b)
{
	static const uint8_t zero[16];

	if (memcmp(b, zero, 12) == 0)				/* ::/96 */
		return v4_public(v4_at(b, 12));
	if (memcmp(b, zero, 10) == 0 && b[10] == 0xff && b[11] == 0xff)	/* ::ffff:a.b.c.d */
		return v4_public(v4_at(b, 12));
	if (memcmp(b, zero, 8) == 0 && b[8] == 0xff && b[9] == 0xff && b[10] == 0 && b[11] == 0)
		return v4_public(v4_at(b, 12));			/* ::ffff:0:a.b.c.d (SIIT) */
	if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b) {
		/* 64:ff9b::/96 is the well-known NAT64 prefix; 64:ff9b:1::/48
		 * is for local translators (not global, RFC 8215) and the rest
		 * of 64:ff9b::/32 is unassigned */
		if (memcmp(b + 4, zero, 8) == 0)
			return v4_public(v4_at(b, 12));
		return 0;
	}
	if (b[0] == 0x20 && b[1] == 0x02)			/* 6to4 2002:a.b.c.d::/48 */
		return v4_public(v4_at(b, 2));
	if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x00 && b[3] == 0x00)	/* Teredo */
		return v4_public(v4_at(b, 4)) && v4_public(~v4_at(b, 12));
	if ((b[0] & 0xfe) == 0xfc)				/* fc00::/7 unique local */
		return 0;
	if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80)		/* fe80::/10 link-local */
		return 0;
	if (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0)		/* fec0::/10 site-local */
		return 0;
	if (b[0] == 0xff)					/* multicast */
		return 0;
	if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8)
		return 0;					/* documentation */
	return 1;
}

int netguard_addr_public(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
		return v4_public(ntohl(in->sin_addr.s_addr));
	}
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
		return v6_public(in6->sin6_addr.s6_addr);
	}
	return 0;
}

int netguard_allowed(const struct sockaddr *sa)
{
	if (config_get_int("Webhook.AllowPrivate", 0) == 1)
		return sa->sa_family == AF_INET || sa->sa_family == AF_INET6;
	return netguard_addr_public(sa);
}

int netguard_url_allowed(const char *url)
{
	CURLU *u = curl_url();
	char *host = NULL;
	struct addrinfo hints, *res = NULL, *ai;
	int ok = 0;

	if (u == NULL)
		return 0;
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK)
		goto out;
	/* brackets of an IPv6 literal are not part of the address */
	char *h = host;
	size_t n = strlen(h);
	if (n > 1 && h[0] == '[' && h[n - 1] == ']') {
		h[n - 1] = '\0';
		h++;
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	if (getaddrinfo(h, NULL, &hints, &res) != 0)
		goto out;
	ok = 1;
	for (ai = res; ai; ai = ai->ai_next)
		if (!netguard_allowed(ai->ai_addr))
			ok = 0;
	freeaddrinfo(res);
out:
	curl_free(host);
	curl_url_cleanup(u);
	return ok;
}

static curl_socket_t open_cb(void *clientp, curlsocktype purpose, struct curl_sockaddr *addr)
{
	(void)clientp, (void)purpose;
	if (!netguard_allowed(&addr->addr))
		return CURL_SOCKET_BAD;
	return socket(addr->family, addr->socktype, addr->protocol);
}

void netguard_curl(void *curl_handle)
{
	curl_easy_setopt((CURL *)curl_handle, CURLOPT_OPENSOCKETFUNCTION, open_cb);
}
