#!/usr/bin/env bash
# 720-tls-proxy.t: livecard behind a reverse proxy: an nginx in front
# terminating TLS (a self-signed certificate made here) forwards to the
# stack's front server (nginx, or Apache under LIVECARD_MODE=apache-*).
# Through it: Secure cookies, https links in pages and mail. The proxy's
# X-Forwarded-For is believed (Site.TrustedProxies); the same header from
# any other address is ignored, so throttling counts the real address.
. "$(dirname "$0")/../lib.sh"
command -v openssl >/dev/null || { echo "1..0 # SKIP openssl is not installed (make deps)"; exit 0; }

TLS_PORT=$(free_port)
TLS=https://127.0.0.1:$TLS_PORT
# the proxy connects from 127.0.0.1; test clients use 127.0.0.2 and 127.0.0.3
EXTRA_CONF="Site.BaseURL = $TLS
Site.TrustedProxies = 127.0.0.1
Throttle.AddressFailures = 3"
export EXTRA_CONF
stack_up
INNER=$B

# --- the TLS proxy ------------------------------------------------------------------
P=$VARDIR/tlsproxy
mkdir -p "$P"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
	-subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
	-keyout "$P/key.pem" -out "$P/cert.pem" >"$P/openssl.log" 2>&1
ok $? "a self-signed certificate for 127.0.0.1"
user=""
[ "$(id -u)" = 0 ] && user="user root root;"
cat >"$P/nginx.conf" <<EOF
$user
worker_processes 1;
pid $P/nginx.pid;
error_log $VARDIR/log/tlsproxy-error.log warn;
daemon off;
events { worker_connections 128; }
http {
    access_log $VARDIR/log/tlsproxy-access.log;
    client_body_temp_path $P/body;
    proxy_temp_path $P/proxy;
    fastcgi_temp_path $P/fastcgi;
    uwsgi_temp_path $P/uwsgi;
    scgi_temp_path $P/scgi;
    client_max_body_size 40m;
    server {
        listen 127.0.0.1:$TLS_PORT ssl;
        ssl_certificate $P/cert.pem;
        ssl_certificate_key $P/key.pem;
        location / {
            proxy_pass $INNER;
            proxy_bind 127.0.0.1;
            proxy_set_header Host \$host:\$server_port;
            proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto \$scheme;
            proxy_redirect default;
        }
    }
}
EOF
nginx -p "$P" -c "$P/nginx.conf" -e "$VARDIR/log/tlsproxy-error.log" >>"$VARDIR/log/tlsproxy.log" 2>&1 &
PROXY_PID=$!
trap 'kill -TERM $PROXY_PID 2>/dev/null; stack_down' EXIT
for i in $(seq 1 100); do
	curl -s -o /dev/null --cacert "$P/cert.pem" "$TLS/static/livecard.css" && break
	sleep 0.1
done

# tls METHOD PATH [curl args]: req through the proxy, from 127.0.0.3
tls() {
	local method=$1 path=$2
	shift 2
	B=$TLS req "$method" "$path" --cacert "$P/cert.pem" --interface 127.0.0.3 "$@"
}

# --- cookies and links through TLS ---------------------------------------------------------
JAR=$VARDIR/jar
tls GET /signup
is "$STATUS" 200 "the sign-up page through the TLS proxy ($LIVECARD_MODE behind it)"
like "$(header Set-Cookie)" '^lc_csrf=[A-Za-z0-9_-]+;.*; Secure' "the CSRF cookie is Secure"
csrf=$(csrf_of)
form_tls() { # form_tls PATH field=value...
	local path=$1 kv args=()
	shift
	for kv in "$@"; do args+=(--data-urlencode "$kv"); done
	tls POST "$path" "${args[@]}"
}
form_tls /signup "csrf=$csrf" "full_name=Tess" "email=tess@example.com" "password=tess password 1"
is "$STATUS" 200 "signing up with the form through TLS"
mail_wait tess@example.com 1
ok $? "the verification mail arrives"
link=$(mail_last tess@example.com | grep -o "https://[^ ]*/verify[^ ]*" | head -1 | tr -d '\r')
like "$link" "^$TLS/verify\\?token=" "its link is the public https address (Site.BaseURL)"
unlike "$(mail_last tess@example.com)" "$INNER" "and never the inner address"
tls GET "${link#"$TLS"}"
is "$STATUS" 200 "the link works through the proxy"

form_tls /signin "csrf=$csrf" "email=tess@example.com" "password=tess password 1"
is "$STATUS" 303 "signing in through TLS"
like "$(header Set-Cookie)" '^lc_session=[A-Za-z0-9_-]{43}; Path=/; Max-Age=[0-9]+; HttpOnly; SameSite=Lax; Secure$' \
	"the session cookie is Secure"
like "$(header Location)" '^(/|https://127\.0\.0\.1:'"$TLS_PORT"'/)' "the redirect stays on the https site"
tls GET /
is "$STATUS" 200 "the home page with the Secure session cookie"
like "$BODY" 'tess@example.com|Tess' "signed in"

if [ -x "$BUILD/cgi-bin/mycard" ]; then
	scsrf=$(csrf_of)
	tls PUT /api/v1/card -H 'Content-Type: application/json' -H 'If-Match: *' -H "X-CSRF-Token: $scsrf" \
		--data-binary '{"full_name":"Tess Proxy","emails":[{"type":"work","value":"tess@example.com"}]}'
	like "$STATUS" '^20[01]$' "her card, saved through TLS"
	tls GET /card/share
	is "$STATUS" 200 "the share page"
	like "$BODY" "$TLS/c/[A-Za-z0-9_-]+" "its public link is https"
	unlike "$BODY" "http://127\\.0\\.0\\.1" "and no page link is plain http"
else
	ok 0 "# SKIP no mycard program"
fi
JAR=""

# --- X-Forwarded-For: believed from the proxy only -----------------------------------------------
sql "DELETE FROM throttle"
bad_signin() { # bad_signin VIA N: a wrong password for a fresh address each time
	local via=$1 n=$2
	local body="{\"email\":\"nobody$n@example.com\",\"password\":\"wrong password\"}"
	if [ "$via" = proxy ]; then
		tls POST /api/v1/tokens -H 'Content-Type: application/json' -H "X-Forwarded-For: 198.51.100.$n" \
			-H 'X-Forwarded-Proto: https' --data-binary "$body"
	else
		req POST /api/v1/tokens --interface 127.0.0.2 -H 'Content-Type: application/json' \
			-H "X-Forwarded-For: 203.0.113.$n" -H 'X-Forwarded-Proto: https' --data-binary "$body"
	fi
}
for n in 1 2 3; do bad_signin direct "$n"; done
is "$STATUS" 401 "three failed sign-ins straight from 127.0.0.2, each forging another X-Forwarded-For"
is "$(sql "SELECT failures FROM throttle WHERE tkey='addr:127.0.0.2'")" 3 \
	"all three count against the real address"
is "$(sql "SELECT COUNT(*) FROM throttle WHERE tkey LIKE 'addr:203.0.113.%'")" 0 "none against a forged one"
bad_signin direct 4
is "$STATUS" 429 "so the fourth is throttled, whatever it claims to be"

bad_signin proxy 1
is "$STATUS" 401 "through the proxy from 127.0.0.3 (also forging): its own count"
is "$(sql "SELECT failures FROM throttle WHERE tkey='addr:127.0.0.3'")" 1 \
	"counted against 127.0.0.3, the address the proxy saw"
is "$(sql "SELECT COUNT(*) FROM throttle WHERE tkey LIKE 'addr:198.51.100.%' OR tkey='addr:127.0.0.1'")" 0 \
	"not against the forged address nor the proxy's own"
req POST /api/v1/tokens -H 'Content-Type: application/json' -H 'X-Forwarded-For: 192.0.2.44' \
	--data-binary '{"email":"nobody9@example.com","password":"wrong password"}'
is "$(sql "SELECT failures FROM throttle WHERE tkey='addr:192.0.2.44'")" 1 \
	"from the trusted proxy address, X-Forwarded-For is believed"
tls GET /signin
is "$STATUS" 200 "and the site still answers through the proxy"

done_testing
