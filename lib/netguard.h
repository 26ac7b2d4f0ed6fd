/* netguard.h: keep webhooks away from loopback and private networks. */
#ifndef LIVECARD_NETGUARD_H
#define LIVECARD_NETGUARD_H

#include <sys/socket.h>

/* netguard_addr_public: 1 when the address is a public unicast address;
 * 0 for loopback, private (RFC 1918, fc00::/7), link-local, site-local
 * (fec0::/10), CGNAT, multicast, unspecified and documentation ones, and
 * for every IPv6 form embedding an IPv4 address that is not public
 * (IPv4-compatible ::/96, IPv4-mapped ::ffff:0:0/96, SIIT ::ffff:0:0:0/96,
 * NAT64 64:ff9b::/96, 6to4 2002::/16, Teredo 2001::/32); the local NAT64
 * prefix 64:ff9b:1::/48 and the rest of 64:ff9b::/32 are never public. */
int netguard_addr_public(const struct sockaddr *sa);

/* netguard_allowed: whether connections to sa are allowed: public ones
 * always, the others only when Webhook.AllowPrivate is 1. */
int netguard_allowed(const struct sockaddr *sa);

/* netguard_url_allowed: resolve the host of an http(s) URL and check every
 * address it resolves to; 1 allowed, 0 refused or unresolvable. */
int netguard_url_allowed(const char *url);

/* netguard_curl: make a libcurl handle refuse, at connect time, any
 * address netguard_allowed refuses (DNS may change after the check). */
void netguard_curl(void *curl_handle);

#endif
