/* t_netguard.c: unit tests for lib/netguard.c: which resolved addresses a webhook may reach (no connections made). */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tap.h"
#include "config.h"
#include "netguard.h"

/* addr: a sockaddr for a numeric IPv4 or IPv6 address (static storage). */
static const struct sockaddr *addr(const char *text)
{
	static struct sockaddr_storage ss;
	memset(&ss, 0, sizeof(ss));
	if (strchr(text, ':')) {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
		in6->sin6_family = AF_INET6;
		if (inet_pton(AF_INET6, text, &in6->sin6_addr) != 1)
			return NULL;
	} else {
		struct sockaddr_in *in = (struct sockaddr_in *)&ss;
		in->sin_family = AF_INET;
		if (inet_pton(AF_INET, text, &in->sin_addr) != 1)
			return NULL;
	}
	return (const struct sockaddr *)&ss;
}

static int public(const char *text)
{
	const struct sockaddr *sa = addr(text);
	return sa ? netguard_addr_public(sa) : -1;
}

static int allowed(const char *text)
{
	const struct sockaddr *sa = addr(text);
	return sa ? netguard_allowed(sa) : -1;
}

static const char *const refused[] = {
	"127.0.0.1", "127.255.255.254",		/* loopback */
	"10.0.0.1", "10.255.255.255",		/* RFC 1918 */
	"172.16.0.1", "172.31.255.254",
	"192.168.0.1", "192.168.255.255",
	"169.254.169.254",			/* link-local (cloud metadata) */
	"100.64.0.1", "100.127.255.254",	/* carrier-grade NAT */
	"0.0.0.0",				/* unspecified */
	"224.0.0.1", "255.255.255.255",		/* multicast, broadcast */
	"192.0.2.1", "198.51.100.7", "203.0.113.9",	/* documentation */
	"198.18.0.1",				/* benchmarking */
	"::1", "::",				/* loopback, unspecified */
	"fc00::1", "fd12:3456:789a::1",		/* unique local fc00::/7 */
	"fe80::1",				/* link-local */
	"ff02::1",				/* multicast */
	"2001:db8::1",				/* documentation */
	"::ffff:10.0.0.1", "::ffff:127.0.0.1", "::ffff:192.168.1.1",	/* IPv4-mapped private */
	/* IPv6 forms that embed a non-public IPv4 address (finding 8 of issue 17) */
	"::127.0.0.1", "::7f00:1", "::10.0.0.1", "::169.254.169.254",	/* IPv4-compatible ::/96 */
	"::ffff:0:7f00:1", "::ffff:0:10.1.2.3", "::ffff:0:0.0.0.0",	/* SIIT ::ffff:0:0:0/96 */
	"64:ff9b::7f00:1", "64:ff9b::127.0.0.1", "64:ff9b::192.168.0.1",	/* NAT64 64:ff9b::/96 */
	"64:ff9b::a9fe:a9fe",
	"64:ff9b:1::8.8.8.8", "64:ff9b:1:ffff::1", "64:ff9b:1::7f00:1",	/* local NAT64 64:ff9b:1::/48 */
	"64:ff9b:2::808:808",				/* the rest of 64:ff9b::/32 */
	"2002:7f00:1::1", "2002:a00:1::1", "2002:c0a8:101::1", "2002::1",	/* 6to4 2002::/16 */
	"2001:0:7f00:1::1", "2001:0:808:808:0:0:f5ff:fffe",	/* Teredo: server, client 10.0.0.1 */
	"fec0::1", "fec0:1:2:3::4", "feff:ffff::1",	/* site-local fec0::/10 */
	NULL,
};

static const char *const allowed_public[] = {
	"8.8.8.8", "1.1.1.1", "172.15.255.255", "172.32.0.1", "100.63.255.255", "100.128.0.1",
	"169.253.0.1", "11.0.0.1", "2001:4860::1", "2606:4700:4700::1111", "::ffff:8.8.8.8",
	/* the public counterparts of the embedding forms stay allowed */
	"::8.8.8.8", "::ffff:0:8.8.8.8", "64:ff9b::8.8.8.8", "64:ff9b::808:808", "2002:808:808::1",
	"2001:0:808:808:0:0:f7f7:f7f7",			/* Teredo, client 8.8.8.8 */
	NULL,
};

int main(void)
{
	for (int i = 0; refused[i]; i++)
		is_int(public(refused[i]), 0, "%s is not public", refused[i]);
	for (int i = 0; allowed_public[i]; i++)
		is_int(public(allowed_public[i]), 1, "%s is public", allowed_public[i]);

	struct sockaddr_un_like { sa_family_t family; char path[20]; } un = {AF_UNIX, "/tmp/x"};
	is_int(netguard_addr_public((const struct sockaddr *)&un), 0, "an address family other than IPv4/IPv6 is refused");

	/* the default: private addresses refused, public ones allowed */
	is_int(allowed("127.0.0.1"), 0, "by default a webhook may not reach 127.0.0.1");
	is_int(allowed("10.0.0.1"), 0, "nor 10.0.0.1");
	is_int(allowed("::ffff:10.0.0.1"), 0, "nor ::ffff:10.0.0.1");
	is_int(allowed("8.8.8.8"), 1, "but may reach 8.8.8.8");
	is_int(netguard_url_allowed("http://127.0.0.1:8080/hook"), 0, "a URL naming 127.0.0.1 is refused");
	is_int(netguard_url_allowed("https://[::1]/hook"), 0, "a URL naming [::1] is refused");
	is_int(netguard_url_allowed("http://[::ffff:10.0.0.1]/x"), 0, "a URL naming an IPv4-mapped private address is refused");
	is_int(netguard_url_allowed("http://192.168.1.1/"), 0, "a URL naming 192.168.1.1 is refused");
	is_int(netguard_url_allowed("http://8.8.8.8/hook"), 1, "a URL naming 8.8.8.8 is allowed");
	is_int(netguard_url_allowed("http://[2001:4860::1]/hook"), 1, "a URL naming 2001:4860::1 is allowed");
	is_int(netguard_url_allowed("not a url"), 0, "something that is not a URL is refused");
	{
		static const char *const hooks[] = {
			"http://[::127.0.0.1]/hook", "http://[::7f00:1]/hook", "http://[64:ff9b::7f00:1]/hook",
			"http://[2002:7f00:1::1]/hook", "http://[fec0::1]/hook", "http://[::ffff:0:7f00:1]/hook",
			"https://[64:ff9b:1::a00:1]:8443/x", NULL,
		};
		for (int i = 0; hooks[i]; i++)
			is_int(netguard_url_allowed(hooks[i]), 0, "a URL naming %s is refused", hooks[i]);
		is_int(netguard_url_allowed("http://[64:ff9b::808:808]/hook"), 1, "a URL naming 64:ff9b::8.8.8.8 is allowed");
		is_int(netguard_url_allowed("http://[2002:808:808::1]/hook"), 1, "a URL naming 6to4 of 8.8.8.8 is allowed");
	}
	is_str(addr("not-an-address") ? "parsed" : "refused", "refused", "the helper refuses what is not an address");

	/* Webhook.AllowPrivate = 1 (tests only) lets private addresses through */
	char path[] = "/tmp/t_netguard.XXXXXX";
	int fd = mkstemp(path);
	ok(fd >= 0, "a temporary config file");
	if (fd >= 0) {
		static const char conf[] = "Webhook.AllowPrivate = 1\n";
		ok(write(fd, conf, sizeof(conf) - 1) == (ssize_t)(sizeof(conf) - 1), "written");
		close(fd);
		ok(config_load(path) == 0, "loaded");
		unlink(path);
		is_int(allowed("127.0.0.1"), 1, "AllowPrivate = 1: 127.0.0.1 allowed");
		is_int(allowed("fc00::1"), 1, "and fc00::1");
		is_int(public("127.0.0.1"), 0, "while netguard_addr_public still calls it private");
		is_int(allowed("8.8.8.8"), 1, "public addresses stay allowed");
	}
	return done_testing();
}
