#!/usr/bin/env bash
# Re-vendor the API reference renderer from its npm package (no CDN at run time):
# Redoc's standalone bundle and its licences go into intervals_server/docs/static/.
set -euo pipefail
cd "$(dirname "$0")/.."

REDOC_VERSION="${REDOC_VERSION:-2.5.2}"
target=intervals_server/docs/static
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

(cd "$work" && npm pack --silent "redoc@${REDOC_VERSION}" >/dev/null && tar xzf redoc-*.tgz)
cp "$work/package/bundles/redoc.standalone.js" "$target/redoc.standalone.js"
cp "$work/package/bundles/redoc.standalone.js.LICENSE.txt" "$target/redoc.standalone.js.LICENSE.txt"
cp "$work/package/LICENSE" "$target/REDOC-LICENSE"
echo "$REDOC_VERSION" > "$target/REDOC-VERSION"
echo "vendored redoc@${REDOC_VERSION} into $target"
