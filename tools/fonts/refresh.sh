#!/usr/bin/env bash
# Re-fetches the fonts embedded in the Executive report's PDF (DejaVu Sans, regular and bold)
# from the npm package pinned in package.json / package-lock.json, and copies them, with the
# package's licence, into crates/app/assets/fonts/. Commit what changes.
#
#   tools/fonts/refresh.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dest="$here/../../crates/app/assets/fonts"
cd "$here"
npm ci --no-audit --no-fund
package="$here/node_modules/dejavu-fonts-ttf"
mkdir -p "$dest"
cp "$package/ttf/DejaVuSans.ttf" "$package/ttf/DejaVuSans-Bold.ttf" "$dest/"
cp "$package/LICENSE" "$dest/LICENSE-DejaVu"
echo "DejaVu Sans $(node -p "require('$package/package.json').version") copied to $dest"
