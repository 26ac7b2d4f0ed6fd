#!/usr/bin/env bash
# 700-apache-routes.t: nginx sends every route a program prints with --routes
# (the C route tables, the one list of routes) to that program, and Apache
# picks the same program, with the same path, as nginx for every route: nginx with conf/nginx/*.conf (each fastcgi_pass
# replaced by an answer naming the program and $uri) against Apache with the
# rules conf/apache/routes generates (vhost and .htaccess forms, a CGI stub
# naming LIVECARD_PROGRAM and DOCUMENT_URI), over paths taken from every
# location, from the API documents, and a few awkward ones.
. "$(dirname "$0")/../lib.sh"
command -v apache2 >/dev/null || { echo "1..0 # SKIP apache2 is not installed (make deps)"; exit 0; }
[ "$LIVECARD_MODE" = nginx ] || { echo "1..0 # SKIP needs no stack: runs in the default mode only"; exit 0; }

PORT=$(pick_port)
VARDIR=$(mktemp -d "${TMPDIR:-/tmp}/livecard-routes.XXXXXX")
chmod 0755 "$VARDIR"
PIDS=()
cleanup() {
	local p
	for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
	sleep 0.5
	if [ "$T_FAILED" -gt 0 ]; then
		tail -n 20 "$VARDIR"/*.log 2>/dev/null | sed 's/^/# /'
	fi
	rm -rf "$VARDIR"
}
trap cleanup EXIT
N_PORT=$PORT A_PORT=$((PORT + 1)) H_PORT=$((PORT + 2))
S=$VARDIR
mkdir -p "$S/docroot/static" "$S/cgi" "$S/nginx" "$S/apache"
printf 'static\n' >"$S/docroot/static/probe.css"

# --- the generator: understood constructs only -----------------------------------
"$TOP"/conf/apache/routes >"$S/routes.conf" 2>"$S/routes.err"
ok $? "conf/apache/routes turns every conf/nginx/*.conf into Apache rules"
"$TOP"/conf/apache/routes --htaccess >"$S/routes-htaccess.conf"
ok $? "and into .htaccess rules"
mkdir -p "$S/bad"
printf 'location /x {\n    proxy_pass http://127.0.0.1:9;\n}\n' >"$S/bad/10-x.conf"
"$TOP"/conf/apache/routes "$S/bad" >/dev/null 2>"$S/bad.err"
is "$?" 1 "a location it cannot translate makes it fail"
like "$(cat "$S/bad.err")" 'proxy_pass' "naming the directive"
progs=$(sed -n 's|.*fastcgi_pass unix:@SOCKDIR@/\([A-Za-z0-9_-]*\)\.sock;.*|\1|p' "$TOP"/conf/nginx/*.conf | sort -u)
for p in $progs; do
	grep -q -F "LIVECARD_PROGRAM:$p," "$S/routes.conf"
	ok $? "program $p has rules"
done

# --- nginx: the real location files, answering "PROGRAM $uri" -----------------------
# (fastcgi_pass stays: it decides nginx's redirect of a bare prefix; the
# return before it answers first)
cp /etc/nginx/fastcgi_params "$S/nginx/fastcgi_params"
cat "$TOP"/conf/nginx/*.conf | sed -E \
	-e 's|(fastcgi_pass unix:@SOCKDIR@/([A-Za-z0-9_-]+)\.sock;)|default_type text/plain; return 200 "\2 $uri\\n"; \1|' \
	-e "s|@HTDOCS@|$S/docroot/static|g" -e "s|@SOCKDIR@|$S/nosuch|g" >"$S/nginx/locations.conf"
user=""
[ "$(id -u)" = 0 ] && user="user root root;"
cat >"$S/nginx/nginx.conf" <<EOF
$user
worker_processes 1;
pid $S/nginx.pid;
error_log $S/nginx-error.log warn;
daemon off;
events { worker_connections 64; }
http {
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path $S/nginx/body;
    fastcgi_temp_path $S/nginx/fastcgi;
    proxy_temp_path $S/nginx/proxy;
    uwsgi_temp_path $S/nginx/uwsgi;
    scgi_temp_path $S/nginx/scgi;
    server {
        listen 127.0.0.1:$N_PORT;
        server_name localhost;
        include $S/nginx/locations.conf;
    }
}
EOF
nginx -p "$S/nginx" -c "$S/nginx/nginx.conf" -e "$S/nginx-error.log" >>"$S/nginx.log" 2>&1 &
PIDS+=($!)

# --- Apache: the generated rules, dispatching to a CGI stub --------------------------
cat >"$S/cgi/stub" <<'EOF'
#!/bin/sh
printf 'Content-Type: text/plain\r\n\r\n%s %s\n' "${LIVECARD_PROGRAM:-$REDIRECT_LIVECARD_PROGRAM}" \
	"${DOCUMENT_URI:-$REDIRECT_DOCUMENT_URI}"
EOF
chmod 0755 "$S/cgi/stub"
sed -e "s|@HTDOCS@|$S/docroot/static|g" "$S/routes.conf" >"$S/apache/routes.conf"
{
	cat "$S/routes-htaccess.conf"
	echo 'RewriteCond %{ENV:LIVECARD_PROGRAM} ^([a-z0-9_-]+)$'
	echo 'RewriteRule ^ /cgi/stub [END]'
} >"$S/docroot/.htaccess"
auser=""
if [ "$(id -u)" = 0 ]; then auser="User www-data
Group www-data"; fi
cat >"$S/apache/httpd.conf" <<EOF
ServerRoot $S/apache
ServerName 127.0.0.1
Listen 127.0.0.1:$A_PORT
Listen 127.0.0.1:$H_PORT
PidFile $S/apache/httpd.pid
DefaultRuntimeDir $S/apache
Mutex file:$S/apache default
ErrorLog $S/apache-error.log
LogLevel warn
$auser
LoadModule mpm_prefork_module /usr/lib/apache2/modules/mod_mpm_prefork.so
LoadModule authz_core_module /usr/lib/apache2/modules/mod_authz_core.so
LoadModule mime_module /usr/lib/apache2/modules/mod_mime.so
LoadModule alias_module /usr/lib/apache2/modules/mod_alias.so
LoadModule rewrite_module /usr/lib/apache2/modules/mod_rewrite.so
LoadModule cgi_module /usr/lib/apache2/modules/mod_cgi.so
StartServers 2
TypesConfig /etc/mime.types
<Directory />
    AllowOverride None
    Require all denied
</Directory>
<Directory $S/cgi>
    Options +ExecCGI
    SetHandler cgi-script
    Require all granted
</Directory>
<VirtualHost 127.0.0.1:$A_PORT>
    DocumentRoot $S/docroot
    Include $S/apache/routes.conf
    RewriteCond %{ENV:LIVECARD_PROGRAM} ^([a-z0-9_-]+)\$
    RewriteRule ^ $S/cgi/stub [H=cgi-script,END]
</VirtualHost>
<VirtualHost 127.0.0.1:$H_PORT>
    DocumentRoot $S/docroot
    ScriptAlias /cgi/ $S/cgi/
    <Directory $S/docroot>
        Options FollowSymLinks
        AllowOverride All
        Require all granted
    </Directory>
</VirtualHost>
EOF
setsid apache2 -d "$S/apache" -f "$S/apache/httpd.conf" -DFOREGROUND >>"$S/apache.log" 2>&1 &
PIDS+=($!)

up() { curl -s -o /dev/null "http://127.0.0.1:$1/static/probe.css"; }
for i in $(seq 1 100); do
	up "$N_PORT" && up "$A_PORT" && up "$H_PORT" && break
	sleep 0.1
done
up "$N_PORT" && up "$A_PORT" && up "$H_PORT"
ok $? "nginx and both Apache hosts answer" || bail "servers did not start"

# --- the one list of routes: every route each program prints (--routes) -----------------
# reaches that program through the nginx location files, with its path as
# it is (Apache is held to nginx below). Placeholders get sample values.
n_routes=0
wrong=""
for prog in "$BUILD"/cgi-bin/*; do
	[ -x "$prog" ] && [ -f "$prog" ] || continue
	while read -r name method pattern _; do
		path=$(printf '%s' "$pattern" | sed -E -e 's/\{(id|n)\}/12/g' -e 's/\{side\}/front/g' \
			-e 's/\{token\}/Tok_en-9x/g' -e 's/\{name\}/n_ame/g' -e 's/\{seg\}/seg-1.vcf/g')
		got=$(curl -s --path-as-is -X "$method" "http://127.0.0.1:$N_PORT$path")
		n_routes=$((n_routes + 1))
		[ "$got" = "$name $path" ] || wrong+=" $method $path -> '$got';"
	done < <("$prog" --routes)
done
ok "$([ "$n_routes" -gt 100 ]; echo $?)" "the programs print their routes ($n_routes)"
is "${wrong# }" "" "nginx sends every route to the program whose table holds it"

# --- the paths ------------------------------------------------------------------------
paths=$(
	# from every location: the path itself and what lies around it
	sed -n -E 's/^\s*location\s+(=|\^~)?\s*([^ ~{]+)\s*\{.*/\2/p' "$TOP"/conf/nginx/*.conf | while read -r l; do
		echo "$l"
		echo "${l%/}"
		echo "${l%/}/"
		echo "${l%/}x"
		echo "${l%/}/12"
		echo "${l%/}/12/x"
		echo "${l%/}.vcf"
	done
	# every path the API documents name
	for f in "$TOP"/docs/*.md "$TOP/../shared/spec/API.md" "$TOP/../shared/spec/SPEC.md"; do
		[ -f "$f" ] && grep -o -E '`(GET |POST |PUT |PATCH |DELETE |PROPFIND |REPORT )?/[A-Za-z0-9._{}/,?=&-]*' "$f"
	done | sed -E -e 's/^`([A-Z]+ )?//' -e 's/\?.*//' -e 's/\{(id|entry_id|N|n)\}/42/g' \
		-e 's/\{front,back\}/back/g' -e 's/\{[a-z_]*token[a-z_]*\}/Tok_en-9x/g' -e 's/\{[^}]*\}/x/g'
	# awkward ones
	printf '%s\n' / /signin /static/probe.css /static/missing.css /static /api/v1/c%61rd \
		//api/v1/card /api/v1/card/../me /card/%2e%2e/folder /folder/../card /index.html /cgi-bin/account \
		/api/v1/folder/sync /api/v1/folder/12/policy /api/v1/folder/sync/x /api/v1/FOLDER \
		/c/Tok_en-9x/subscribe /c/Tok_en-9x/subscribe/verify /c/Tok_en-9x/subscribe/x /.well-known/carddav
)
paths=$(printf '%s\n' "$paths" | grep '^/' | grep -v -E '[[:space:]]|\.\.\.' | sort -u)

# answer PORT METHOD PATH [curl args]: "status program path" (a redirect: its target)
answer() {
	local port=$1 method=$2 path=$3 code body loc
	shift 3
	code=$(curl -s --path-as-is -X "$method" -o "$S/body" -D "$S/head" -w '%{http_code}' "$@" \
		"http://127.0.0.1:$port$path")
	body=$(head -c 300 "$S/body" | tr '\n' ' ')
	loc=$(tr -d '\r' <"$S/head" | sed -n 's|^[Ll]ocation: https\?://[^/]*||p')
	case $code in
	200) echo "200 ${body% }" ;;
	30?) echo "$code -> $loc" ;;
	403 | 404) echo "403/404" ;;	# a directory without index: nginx 403, Apache 404
	*) echo "$code" ;;
	esac
}

# compare METHOD PATH [curl args]: one line per Apache form
compare() {
	local method=$1 path=$2 n a h
	shift 2
	n=$(answer "$N_PORT" "$method" "$path" "$@")
	a=$(answer "$A_PORT" "$method" "$path" "$@")
	h=$(answer "$H_PORT" "$method" "$path" "$@")
	is "$a" "$n" "$method $path $*: vhost rules as nginx ($n)"
	is "$h" "$n" "$method $path $*: .htaccess rules as nginx"
}

count=0
while read -r p; do
	compare GET "$p"
	count=$((count + 1))
done <<<"$paths"
ok $([ "$count" -ge 60 ]; echo $?) "$count paths compared"

# methods and content types that nginx's rules look at
compare PROPFIND /
compare OPTIONS /
compare GET /
compare POST /c/Tok_en-9x/subscribe -H 'Content-Type: application/json' --data-binary '{}'
compare POST /c/Tok_en-9x/subscribe/verify -H 'Content-Type: Application/JSON; charset=utf-8' --data-binary '{}'
compare POST /c/Tok_en-9x/subscribe -H 'Content-Type: application/x-www-form-urlencoded' --data-binary 'a=b'
compare GET '/api/v1/folder?q=x&tag=y'

done_testing
