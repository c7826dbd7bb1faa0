#!/usr/bin/env bash
# CI's packaging check: builds the .deb from BINARY, installs it with dpkg -i on this machine,
# verifies the systemd unit with systemd-analyze, starts the installed binary as its user on a
# temporary data directory until /healthz answers, then removes the package.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bin="${1:-target/debug/learning-zone}"
out="$(mktemp -d)"
data="$(mktemp -d)"
cleanup() {
    [ -n "${pid:-}" ] && kill "$pid" 2>/dev/null || true
    dpkg --purge learning-zone >/dev/null 2>&1 || true
    rm -rf "$out" "$data"
}
trap cleanup EXIT
deb="$("$here/deb.sh" "$bin" "$out")"
echo "== built $(basename "$deb")"
dpkg-deb --info "$deb" | sed -n 's/^ \(Package\|Version\|Depends\):/  \1:/p'
dpkg -i "$deb" >/dev/null
echo "== installed: $(/usr/bin/learning-zone --version)"
getent passwd learning-zone >/dev/null
test -f /lib/systemd/system/learning-zone.service
systemd-analyze verify /lib/systemd/system/learning-zone.service
echo "== systemd-analyze verify: ok"
chown learning-zone:learning-zone "$data"
port=$((20000 + RANDOM % 20000))
setpriv --reuid=learning-zone --regid=learning-zone --init-groups \
    env LZ_DATA_DIR="$data" LZ_ADDR="127.0.0.1:$port" LZ_LOG=warn /usr/bin/learning-zone serve &
pid=$!
for _ in $(seq 60); do
    if curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1; then
        echo "== the installed binary answers /healthz as user learning-zone"
        exit 0
    fi
    sleep 1
done
echo "the installed binary did not answer /healthz" >&2
exit 1
