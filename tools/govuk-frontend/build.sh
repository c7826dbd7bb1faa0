#!/usr/bin/env bash
# Rebuilds crates/web/assets/govuk/ from the pinned govuk-frontend release (package.json,
# package-lock.json). The output is committed, so `cargo run` never needs npm; run this only
# to move to another release: change the version in package.json, `npm install`, then ./build.sh.
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund --loglevel=error
out=../../crates/web/assets/govuk
mkdir -p "$out"
npx sass --no-source-map --style=compressed --load-path=node_modules lz-govuk.scss "$out/govuk-frontend.min.css"
# The ES module the components' progressive enhancement needs, without its source-map comment.
sed -e 's|//# sourceMappingURL=.*$||' node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js > "$out/govuk-frontend.min.js"
cp LICENSE-govuk-frontend.txt "$out/LICENSE.txt"
node -e 'console.log(require("./node_modules/govuk-frontend/package.json").version)' > "$out/VERSION"
if grep -q 'GDS Transport' "$out/govuk-frontend.min.css"; then
  echo "build.sh: the CSS still names GDS Transport" >&2; exit 1
fi
echo "GOV.UK Frontend $(cat "$out/VERSION") built into $out"
