#!/usr/bin/env bash
# 730-install.t: shared hosting without root. An unprivileged user (made
# here) runs `make install PREFIX=~/livecard` from the release they
# uploaded, points etc/livecard.hdf at the MariaDB database they were given
# (over TCP, their own account), runs `livecardctl migrate`, and serves the
# site with Apache + plain CGI through the installed .htaccess files, the
# programs running as that user (as suexec would). The member flow passes,
# mail leaves by the crontab's `livecard-outbox --once`, logrotate and the
# nightly job run from the crontab too, and no file was written outside the
# prefix (nor `make install DESTDIR=` outside DESTDIR), nor any row outside
# the given database.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/799-flow-lib.sh"
[ "$(id -u)" = 0 ] || { echo "1..0 # SKIP needs root to make an unprivileged user"; exit 0; }
command -v apache2 >/dev/null || { echo "1..0 # SKIP apache2 is not installed (make deps)"; exit 0; }
[ "$LIVECARD_MODE" = nginx ] || { echo "1..0 # SKIP the install test serves its own Apache; it runs in the default mode"; exit 0; }

U=livecard-t730
DBPORT=$(free_port 0)
APORT=$(free_port 1)
DBPW=pw-$RANDOM-$RANDOM
# the "existing MariaDB" is the stack's, also on TCP
MARIADB_OPTS="--skip-networking=0 --bind-address=127.0.0.1 --port=$DBPORT"
export MARIADB_OPTS
stack_up
HOMEDIR=$(mktemp -d "${TMPDIR:-/tmp}/livecard-home.XXXXXX")
chmod 0755 "$HOMEDIR"
made_user=0
if ! id "$U" >/dev/null 2>&1; then
	useradd --system --no-create-home --home-dir "$HOMEDIR" --shell /usr/sbin/nologin "$U" || bail "useradd failed"
	made_user=1
fi
APACHE_PID=""
cleanup() {
	[ -n "$APACHE_PID" ] && kill -TERM "$APACHE_PID" 2>/dev/null && sleep 1
	stack_down
	rm -rf "$HOMEDIR"
	[ "$made_user" = 1 ] && userdel "$U" 2>/dev/null
	true
}
trap cleanup EXIT
chown "$U:" "$HOMEDIR"
as_user() { runuser -u "$U" -- env -i HOME="$HOMEDIR" PATH=/usr/local/bin:/usr/bin:/bin LANG=C.UTF-8 "$@"; }
rootsql() { mariadb --no-defaults --default-character-set=utf8mb4 --socket="$VARDIR/run/mysqld.sock" -uroot -N -B -e "$1"; }

# --- the release the user uploaded: sources and the build, times kept ------------------------
SRC=$HOMEDIR/src
mkdir -p "$SRC/build"
(cd "$TOP" && cp -a GNUmakefile conf templates htdocs sql docs lib cgi-bin batch libexec "$SRC/")
(cd "$BUILD" && cp -a liblivecard.a lib cgi-bin batch libexec "$SRC/build/")
chown -R "$U:" "$SRC"
STAMP=$VARDIR/stamp
touch "$STAMP"
sleep 1

# --- make install as the user --------------------------------------------------------------
PREFIX=$HOMEDIR/livecard
as_user make -C "$SRC" install PREFIX="$PREFIX" >"$VARDIR/install.log" 2>&1
ok $? "make install PREFIX=~/livecard as $U" || sed 's/^/#   /' "$VARDIR/install.log" | tail -20
for f in htdocs/cgi-bin/account bin/livecardctl bin/livecard-outbox libexec/livecard/livecard-imaged; do
	ok $([ -x "$PREFIX/$f" ]; echo $?) "installed: $f"
done
for f in etc/livecard.hdf etc/apache-fcgid.conf etc/apache-proxy-fcgi.conf etc/apache-cgi.conf \
	etc/apache-routes.conf etc/crontab etc/logrotate/livecard etc/systemd/livecard-outbox.service \
	etc/systemd/livecard-program@.service etc/nginx/10-account.conf htdocs/.htaccess htdocs/cgi-bin/.htaccess \
	htdocs/static/livecard.css share/livecard/templates/lang/en.hdf share/livecard/sql/001_init.sql \
	share/doc/livecard/deploy.md; do
	ok $([ -s "$PREFIX/$f" ]; echo $?) "installed: $f"
done
is "$(stat -c %a "$PREFIX/etc/livecard.hdf")" 640 "the settings file (passwords) is not world-readable"
is "$(grep -l '@[A-Z_]*@' -r "$PREFIX/etc" "$PREFIX/htdocs/.htaccess" "$PREFIX/htdocs/cgi-bin/.htaccess" | wc -l)" 0 \
	"every @PLACEHOLDER@ is filled in"
like "$(grep '^ *Templates = ' "$PREFIX/etc/livecard.hdf")" "= $PREFIX/share/livecard/templates\$" \
	"the settings name the installed templates"
like "$(grep '^ *Libexec = ' "$PREFIX/etc/livecard.hdf")" "= $PREFIX/libexec/livecard\$" \
	"the settings name the installed image decoder's directory"
like "$(cat "$PREFIX/etc/apache-fcgid.conf")" "FcgidInitialEnv LIVECARD_CONF $PREFIX/etc/livecard.hdf" \
	"the Apache examples name the installed settings"

# --- the database the host gave: its own account, over TCP ----------------------------------------
rootsql "CREATE DATABASE lc_shared CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
	CREATE USER 'lcshared'@'%' IDENTIFIED BY '$DBPW';
	GRANT ALL PRIVILEGES ON lc_shared.* TO 'lcshared'@'%'"
ok $? "a database and an account of its own, as a host gives them"
as_user sh -c "cat >>'$PREFIX/etc/livecard.hdf'" <<EOF

# this site (added by the owner)
Site.BaseURL = http://127.0.0.1:$APORT
DB.Host = 127.0.0.1
DB.Port = $DBPORT
DB.User = lcshared
DB.Password = $DBPW
DB.Name = lc_shared
Mail.SMTPURL = smtp://127.0.0.1:$((PORT + 1))
SMS.URL = http://127.0.0.1:$((PORT + 2))/sms
Updates.CoalesceSeconds = 1
EOF
before=$(md5sum <"$PREFIX/etc/livecard.hdf")
as_user make -C "$SRC" install PREFIX="$PREFIX" >>"$VARDIR/install.log" 2>&1
ok $? "make install again (an upgrade)"
is "$(md5sum <"$PREFIX/etc/livecard.hdf")" "$before" "keeps the edited settings"
as_user env LIVECARD_CONF="$PREFIX/etc/livecard.hdf" "$PREFIX/bin/livecardctl" migrate >"$VARDIR/migrate.log" 2>&1
ok $? "livecardctl migrate creates the schema there" || sed 's/^/#   /' "$VARDIR/migrate.log"
is "$(rootsql "SELECT COUNT(*) FROM lc_shared.schema_migrations")" "$(ls "$TOP"/sql/*.sql | wc -l)" \
	"every migration is recorded in the given database"

# --- Apache + CGI through the installed .htaccess files, as the user ------------------------------
A=$VARDIR/userapache
mkdir -p "$A"
cat >"$A/httpd.conf" <<EOF
ServerRoot $A
ServerName 127.0.0.1
Listen 127.0.0.1:$APORT
PidFile $A/httpd.pid
DefaultRuntimeDir $A
Mutex file:$A default
ErrorLog $VARDIR/log/user-apache-error.log
LogLevel warn
User $U
Group $(id -gn "$U")
LoadModule mpm_prefork_module /usr/lib/apache2/modules/mod_mpm_prefork.so
LoadModule authz_core_module /usr/lib/apache2/modules/mod_authz_core.so
LoadModule mime_module /usr/lib/apache2/modules/mod_mime.so
LoadModule alias_module /usr/lib/apache2/modules/mod_alias.so
LoadModule rewrite_module /usr/lib/apache2/modules/mod_rewrite.so
LoadModule env_module /usr/lib/apache2/modules/mod_env.so
LoadModule setenvif_module /usr/lib/apache2/modules/mod_setenvif.so
LoadModule dir_module /usr/lib/apache2/modules/mod_dir.so
LoadModule cgi_module /usr/lib/apache2/modules/mod_cgi.so
StartServers 2
TypesConfig /etc/mime.types
CustomLog $VARDIR/log/user-apache-access.log combined
LogFormat "%h %l %u %t \"%r\" %>s %b \"%{Referer}i\" \"%{User-Agent}i\"" combined
DocumentRoot $PREFIX/htdocs
<Directory />
    AllowOverride None
    Require all denied
</Directory>
<Directory $PREFIX/htdocs>
    Options FollowSymLinks
    AllowOverride All
    Require all granted
</Directory>
<FilesMatch "^\.ht">
    Require all denied
</FilesMatch>
EOF
setsid apache2 -d "$A" -f "$A/httpd.conf" -DFOREGROUND >>"$VARDIR/log/user-apache.log" 2>&1 &
APACHE_PID=$!
B=http://127.0.0.1:$APORT
for i in $(seq 1 100); do
	curl -s -o /dev/null "$B/static/livecard.css" && break
	sleep 0.1
done
req GET /static/livecard.css
is "$STATUS" 200 "the user's Apache serves the installed document root"

# the crontab's outbox line, run as cron would
cron_line() { sed -n "s/^$1 //p" "$PREFIX/etc/crontab" | head -1; }
CONF_LINE=$(sed -n 's/^LIVECARD_CONF=//p' "$PREFIX/etc/crontab")
OUTBOX_CMD=$(cron_line '\* \* \* \* \*')
like "$OUTBOX_CMD" "livecard-outbox --once" "the crontab drains the outbox every minute"
flow_drain() { as_user env LIVECARD_CONF="$CONF_LINE" sh -c "$OUTBOX_CMD"; }

flow_run install

# what must not be reachable
req GET /.htaccess
is "$STATUS" 403 ".htaccess is not served"
req GET /cgi-bin/account
is "$STATUS" 404 "a program's own URL is just an unknown path to it"
unlike "$BODY" 'ELF' "never the program file"
req GET /etc/livecard.hdf
is "$STATUS" 404 "the settings are outside the document root"
unlike "$BODY" "$DBPW" "and never shown"

# the other crontab jobs and the logs
ok $([ -s "$PREFIX/var/log/outbox.log" ] || [ -e "$PREFIX/var/log/outbox.log" ]; echo $?) \
	"the outbox job logs to ~/livecard/var/log"
if [ -x "$PREFIX/bin/livecard-reconcile" ]; then
	NIGHTLY=$(cron_line '17 3 \* \* \*')
	as_user env LIVECARD_CONF="$CONF_LINE" sh -c "$NIGHTLY"
	ok $? "the nightly job from the crontab runs as the user"
fi
as_user sh -c "echo rotate-me >>'$PREFIX/var/log/outbox.log'"
as_user /usr/sbin/logrotate -f -s "$PREFIX/var/log/logrotate.state" "$PREFIX/etc/logrotate/livecard" \
	>"$VARDIR/logrotate.log" 2>&1
ok $? "logrotate runs the installed rules as the user" || sed 's/^/#   /' "$VARDIR/logrotate.log"
ok $([ -e "$PREFIX/var/log/outbox.log.1" ]; echo $?) "and rotates the job's log"

if command -v systemd-analyze >/dev/null; then
	u=$VARDIR/units
	mkdir -p "$u"
	cp "$PREFIX/etc/systemd/livecard-program@.service" "$u/livecard-program@account.service"
	for f in "$PREFIX"/etc/systemd/*; do
		case $f in *@.service) ;; *) cp "$f" "$u/" ;; esac
	done
	systemd-analyze verify "$u"/* >"$VARDIR/units.log" 2>&1
	ok $? "the installed systemd units verify" || sed 's/^/#   /' "$VARDIR/units.log"
fi

# --- DESTDIR: a staged install stays inside it and names the final paths --------------------------
STAGE=$HOMEDIR/stage
as_user make -C "$SRC" install DESTDIR="$STAGE" PREFIX=/opt/livecard >>"$VARDIR/install.log" 2>&1
ok $? "make install DESTDIR=... PREFIX=/opt/livecard"
is "$(find "$STAGE" -mindepth 1 -maxdepth 2 | sort | tr '\n' ' ')" "$STAGE/opt $STAGE/opt/livecard " \
	"everything went under DESTDIR/opt/livecard"
is "$(grep -rl "$STAGE" "$STAGE" | wc -l)" 0 "no installed file names the staging directory"
like "$(grep '^FcgidInitialEnv' "$STAGE/opt/livecard/etc/apache-fcgid.conf")" ' /opt/livecard/etc/livecard.hdf$' \
	"the configuration names the final paths"

# --- nothing outside the prefix, nothing outside the database -----------------------------------
outside=$(find /tmp /var/tmp /dev/shm /run /home /root /etc /opt /srv /mnt /usr/local /var "$HOMEDIR" \
	\( -path /proc -o -path "$PREFIX" -o -path "$SRC" -o -path "$STAGE" \) -prune -o \
	-user "$U" -newer "$STAMP" ! -path "$HOMEDIR" -print 2>/dev/null | sort -u)
is "$outside" "" "$U wrote no file outside ~/livecard (install, CGI programs, cron jobs, logrotate)"
is "$(rootsql "SELECT COUNT(*) FROM livecard.users")" 0 "the stack's own database got no rows"
like "$(rootsql "SELECT COUNT(*) FROM lc_shared.users")" '^[1-9]' "the given one holds the members"
is "$(rootsql "SELECT GROUP_CONCAT(DISTINCT table_schema) FROM information_schema.tables WHERE table_schema NOT IN ('mysql','information_schema','performance_schema','sys','livecard')")" \
	lc_shared "no other schema was created"

done_testing
