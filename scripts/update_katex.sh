#!/usr/bin/env bash
# Re-vendor KaTeX from its npm release into docs/assets/vendor/katex/.
#   scripts/update_katex.sh 0.16.22     (a version is required, so the update is deliberate)
# Keeps katex.min.js (run at build time by hooks/katex.py, not served: see exclude_docs in
# mkdocs.yml), katex.min.css and the fonts it references (served), and KaTeX's LICENSE.
set -euo pipefail
version=${1:?"usage: $0 KATEX_VERSION (see: npm view katex version)"}
cd "$(dirname "$0")/.."
dest=docs/assets/vendor/katex

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "katex@$version" >/dev/null)
tar -xzf "$tmp"/katex-"$version".tgz -C "$tmp"
pkg=$tmp/package

rm -rf "$dest"
mkdir -p "$dest"
cp "$pkg/LICENSE" "$pkg/dist/katex.min.js" "$pkg/dist/katex.min.css" "$dest/"
cp -r "$pkg/dist/fonts" "$dest/fonts"
echo "$version" > "$dest/VERSION"
echo "KaTeX $version vendored into $dest ($(du -sh "$dest" | cut -f1))"
