#!/usr/bin/env bash
# Builds the Debian package: `packaging/deb.sh BINARY OUTDIR` writes
# OUTDIR/learning-zone_<version>_amd64.deb with the binary, the hardened systemd unit, the
# settings file (a conffile), the documentation and the licences. Made with dpkg-deb alone,
# so building it needs nothing that is not on a Debian machine.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
bin="${1:?usage: packaging/deb.sh BINARY OUTDIR}"
out="${2:?usage: packaging/deb.sh BINARY OUTDIR}"
version="$(sed -n 's/^version = "\(.*\)"/\1/p' "$root/Cargo.toml" | head -1)"
commit="$("$bin" --version | sed -n 's/.*(commit \(.*\))/\1/p')"
arch="$(dpkg --print-architecture)"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
pkg="$stage/learning-zone"
install -D -m 0755 "$bin" "$pkg/usr/bin/learning-zone"
install -D -m 0644 "$here/learning-zone.service" "$pkg/lib/systemd/system/learning-zone.service"
install -D -m 0640 "$here/learning-zone.env" "$pkg/etc/learning-zone/learning-zone.env"
doc="$pkg/usr/share/doc/learning-zone"
install -D -m 0644 "$root/README.md" "$doc/README.md"
install -D -m 0644 "$root/CHANGELOG.md" "$doc/CHANGELOG.md"
install -D -m 0644 "$root/LICENSE" "$doc/copyright"
install -D -m 0644 "$root/THIRD-PARTY-LICENSES.md" "$doc/THIRD-PARTY-LICENSES.md"
mkdir -p "$pkg/DEBIAN"
cat > "$pkg/DEBIAN/control" <<CONTROL
Package: learning-zone
Version: ${version}+${commit}
Architecture: ${arch}
Maintainer: Learning Zone maintainers <learning-zone@example.org>
Depends: libc6, adduser, ca-certificates
Section: web
Priority: optional
Homepage: https://github.com/learning-zone/learning-zone
Description: shared learning for a network of places and partners
 Learning Zone is a self-hostable web platform on which partner organisations
 share learning and practice, run learning events, build the evidence for
 physical activity and sport, follow public indicators and track a delivery plan.
 It runs on SQLite (the default) or PostgreSQL.
CONTROL
echo /etc/learning-zone/learning-zone.env > "$pkg/DEBIAN/conffiles"
cat > "$pkg/DEBIAN/postinst" <<'POSTINST'
#!/bin/sh
set -e
if [ "$1" = configure ]; then
    install -d -m 0750 /var/lib/learning-zone
    if ! getent passwd learning-zone >/dev/null; then
        adduser --system --group --home /var/lib/learning-zone --no-create-home \
            --gecos "Learning Zone" learning-zone >/dev/null
    fi
    chown learning-zone:learning-zone /var/lib/learning-zone
    chgrp learning-zone /etc/learning-zone /etc/learning-zone/learning-zone.env
    chmod 0750 /etc/learning-zone
    if [ -d /run/systemd/system ]; then
        systemctl daemon-reload >/dev/null || true
        # Not started on install: set LZ_BASE_URL (and the database) first, then
        # `systemctl enable --now learning-zone`.
    fi
fi
POSTINST
cat > "$pkg/DEBIAN/prerm" <<'PRERM'
#!/bin/sh
set -e
if [ -d /run/systemd/system ] && [ "$1" = remove ]; then
    systemctl stop learning-zone.service >/dev/null 2>&1 || true
fi
PRERM
cat > "$pkg/DEBIAN/postrm" <<'POSTRM'
#!/bin/sh
set -e
# The data in /var/lib/learning-zone is kept even on purge: a council's records are never
# deleted by a package manager. The host removes it by hand when it means to.
if [ -d /run/systemd/system ]; then
    systemctl daemon-reload >/dev/null 2>&1 || true
fi
POSTRM
chmod 0755 "$pkg/DEBIAN/postinst" "$pkg/DEBIAN/prerm" "$pkg/DEBIAN/postrm"
mkdir -p "$out"
file="$out/learning-zone_${version}+${commit}_${arch}.deb"
dpkg-deb --root-owner-group --build "$pkg" "$file" >/dev/null
echo "$file"
