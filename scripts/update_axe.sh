#!/usr/bin/env bash
# Re-vendor axe-core (the accessibility engine the browser tests run in every page) from its
# npm release into tests/browser/vendor/axe-core/.
#   scripts/update_axe.sh 4.14.1 SHA256     (version and the tarball's SHA-256 are required,
#                                            so an update is deliberate and checked)
# npm itself checks the registry's integrity hash; the SHA-256 pins the exact tarball.
set -euo pipefail
version=${1:?"usage: $0 AXE_VERSION TARBALL_SHA256 (see: npm view axe-core version)"}
sha=${2:?"usage: $0 AXE_VERSION TARBALL_SHA256"}
cd "$(dirname "$0")/.."
dest=tests/browser/vendor/axe-core

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "axe-core@$version" >/dev/null)
echo "$sha  $tmp/axe-core-$version.tgz" | sha256sum --check --quiet
tar -xzf "$tmp/axe-core-$version.tgz" -C "$tmp"

rm -rf "$dest"
mkdir -p "$dest"
cp "$tmp/package/axe.min.js" "$tmp/package/LICENSE" "$dest/"
printf '%s\n%s\n' "$version" "$sha" > "$dest/VERSION"
echo "axe-core $version vendored into $dest ($(du -sh "$dest" | cut -f1))"
