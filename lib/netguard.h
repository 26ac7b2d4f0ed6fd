/* netguard.h: keep webhooks away from loopback and private networks. */
#ifndef LIVECARD_NETGUARD_H
#define LIVECARD_NETGUARD_H

#include <sys/socket.h>

/* netguard_addr_public: 1 when the address is a public unicast address;
 * 0 for loopback, private (RFC 1918, fc00::/7), link-local, CGNAT,
 * multicast, unspecified, documentation and IPv4-mapped private ones. */
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
