#!/usr/bin/env bash
# fresh.sh: `make test-fresh`: the README's two commands on a pristine Debian 12
# root (debootstrap --variant=minbase bookworm, plus git, make and
# ca-certificates only): a fresh clone of this repository's HEAD runs
# `make test`, then `make start` and a sign-up against it.
#
# Needs root, and the network to the Debian archive (and the npm registry for
# the browser tests). Everything runs in a private mount and PID namespace, so
# no mount and no process outlives it. Settings (environment):
#   FRESH_ROOT    where the root is built (/var/tmp/livecard-fresh; emptied first)
#   FRESH_MIRROR  the Debian archive (default: the one this machine's apt uses)
#   FRESH_KEEP=1  keep the root afterwards (for a look inside)
#   FRESH_SKIP_TEST=1  only make start and the sign-up (a quicker check)
# Only committed work is tested: the clone is of HEAD, as a newcomer's would be.
set -euo pipefail

TOP=$(cd "$(dirname "$0")/.." && pwd)
ROOT=${FRESH_ROOT:-/var/tmp/livecard-fresh}
T0=$(date +%s)

say() { printf 'test-fresh: %s\n' "$*"; }
die() { printf 'test-fresh: %s\n' "$*" >&2; exit 1; }
elapsed() { echo $(($(date +%s) - $1)); }

[ "$(id -u)" = 0 ] || die "needs root (debootstrap, chroot, mounts)"
command -v debootstrap >/dev/null || die "debootstrap is missing: make test-fresh installs it"

# mirror: the Debian archive this machine's apt uses
mirror() {
	local m
	if [ -n "${FRESH_MIRROR:-}" ]; then echo "$FRESH_MIRROR"; return; fi
	m=$(sed -n 's/^URIs: *\([^ ]*debian\/*\)$/\1/p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -n1)
	[ -n "$m" ] || m=$(sed -n 's/^deb \(\[[^]]*\] \)\{0,1\}\([^ ]*\) bookworm .*/\2/p' /etc/apt/sources.list 2>/dev/null | head -n1)
	echo "${m:-http://deb.debian.org/debian}"
}

# inside: the part that runs in the private namespaces
if [ "${1:-}" != --inside ]; then
	if [ -n "$(git -C "$TOP" status --porcelain --untracked-files=no 2>/dev/null)" ]; then
		say "note: uncommitted changes are not tested (the clone is of HEAD $(git -C "$TOP" rev-parse --short HEAD))"
	fi
	exec unshare --mount --propagation private --pid --fork --mount-proc "$0" --inside
fi

MIRROR=$(mirror)
say "building a pristine Debian 12 root in $ROOT from $MIRROR"
rm -rf "$ROOT"
mkdir -p "$ROOT"
t=$(date +%s)
debootstrap --variant=minbase bookworm "$ROOT" "$MIRROR" >"$ROOT.debootstrap.log" 2>&1 ||
	{ tail -n 20 "$ROOT.debootstrap.log" >&2; die "debootstrap failed"; }
T_BOOT=$(elapsed "$t")
say "debootstrap: ${T_BOOT} s"

# the same package sources as this machine's Debian (not its other repositories)
if [ -f /etc/apt/sources.list.d/debian.sources ]; then
	cp /etc/apt/sources.list.d/debian.sources "$ROOT/etc/apt/sources.list.d/debian.sources"
	: >"$ROOT/etc/apt/sources.list"
else
	printf 'deb %s bookworm main\ndeb %s bookworm-updates main\ndeb http://deb.debian.org/debian-security bookworm-security main\n' \
		"$MIRROR" "$MIRROR" >"$ROOT/etc/apt/sources.list"
fi
cp /etc/resolv.conf "$ROOT/etc/resolv.conf"
# the site's own certificate authorities (a TLS-inspecting proxy between this
# network and the package registries, say) are part of the network, not of
# the project: a new machine on this network would have them too. Debian's
# ca-certificates picks them up from here when it is installed below, and
# Node reads the bundle through NODE_EXTRA_CA_CERTS.
if compgen -G '/usr/local/share/ca-certificates/*.crt' >/dev/null; then
	mkdir -p "$ROOT/usr/local/share/ca-certificates"
	cp /usr/local/share/ca-certificates/*.crt "$ROOT/usr/local/share/ca-certificates/"
	say "carried over the site's CA certificates: $(cd /usr/local/share/ca-certificates && echo *.crt)"
fi
echo fresh >"$ROOT/etc/hostname"

# the file systems a Debian machine has (private to this namespace)
mount -t proc proc "$ROOT/proc"
mount --rbind /sys "$ROOT/sys"
mount --rbind /dev "$ROOT/dev"
mount -t tmpfs -o mode=1777 tmpfs "$ROOT/dev/shm"
mkdir -p "$ROOT/mnt/src"
mount --bind -o ro "$TOP" "$ROOT/mnt/src"

# in_root CMD: a login-like root shell in the new root, with no environment
# from this machine
in_root() {
	chroot "$ROOT" /usr/bin/env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		TERM=dumb CI="${CI:-}" NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt \
		/bin/bash -c "$1"
}

t=$(date +%s)
in_root 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	git make ca-certificates >/dev/null' || die "installing git, make and ca-certificates failed"
in_root 'git -c safe.directory="*" clone -q /mnt/src /root/livecard && git -C /root/livecard log --oneline -1' ||
	die "git clone failed"
# the project's shared material (the vCard fixtures the tests read from
# ../shared/testdata) lies beside the clone, as CI lays it out
if [ -d "$TOP/../shared/testdata" ]; then
	mkdir -p "$ROOT/root/shared"
	cp -R "$TOP/../shared/testdata" "$ROOT/root/shared/"
fi
T_CLONE=$(elapsed "$t")

T_TEST=0
if [ "${FRESH_SKIP_TEST:-0}" != 1 ]; then
	say "make test in the fresh clone (installs the packages first)"
	t=$(date +%s)
	if ! in_root 'cd /root/livecard && make test'; then
		die "make test failed on the pristine root ($(elapsed "$T0") s in all)"
	fi
	T_TEST=$(elapsed "$t")
	say "make test: ${T_TEST} s"
fi

say "make start and a sign-up"
t=$(date +%s)
port=18080
while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 10)); done
in_root "cd /root/livecard && make start PORT=$port" || die "make start failed"
signup='
set -eu
B=http://127.0.0.1:'"$port"'
code=$(curl -s -o /dev/null -w "%{http_code}" "$B/signup")
[ "$code" = 200 ] || { echo "GET /signup: $code"; exit 1; }
code=$(curl -s -o /tmp/signup.json -w "%{http_code}" -H "Content-Type: application/json" \
	-d "{\"email\":\"newcomer@example.com\",\"password\":\"a newcomer password\",\"full_name\":\"New Comer\"}" \
	"$B/api/v1/accounts")
[ "$code" = 201 ] || { echo "sign-up: $code $(cat /tmp/signup.json)"; exit 1; }
for i in $(seq 1 100); do
	m=$(grep -l "newcomer@example.com" /root/livecard/var/mail/new/* 2>/dev/null | head -n1 || true)
	[ -n "$m" ] && break
	sleep 0.2
done
[ -n "$m" ] || { echo "no verification mail"; exit 1; }
link=$(grep -o "$B/verify[^ ]*" "$m" | head -n1 | tr -d "\r")
[ -n "$link" ] || { echo "no link in the mail"; exit 1; }
code=$(curl -s -o /dev/null -w "%{http_code}" "$link")
case $code in 2*|3*) ;; *) echo "verification link: $code"; exit 1 ;; esac
echo "signed up newcomer@example.com and opened the mailed link ($code)"
'
if ! in_root "$signup"; then
	in_root 'cd /root/livecard && make stop' || true
	die "the sign-up against the fresh stack failed"
fi
in_root 'cd /root/livecard && make stop' >/dev/null
T_START=$(elapsed "$t")

umount -R "$ROOT/mnt/src" "$ROOT/dev" "$ROOT/sys" "$ROOT/proc" 2>/dev/null || true
[ "${FRESH_KEEP:-0}" = 1 ] || rm -rf "$ROOT" "$ROOT.debootstrap.log"
say "debootstrap ${T_BOOT} s, git+clone ${T_CLONE} s, make test ${T_TEST} s, make start + sign-up ${T_START} s"
say "passed in $(elapsed "$T0") s"
