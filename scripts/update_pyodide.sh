#!/usr/bin/env bash
# Re-vendor Pyodide (CPython compiled to WebAssembly; the pages run gdbook's pure-Python code in
# it, docs/javascripts/gdbook-run-worker.js) from its npm release into docs/assets/vendor/pyodide/.
#   scripts/update_pyodide.sh 314.0.7 SHA256   (version and the tarball's SHA-256 are required,
#                                               so an update is deliberate and checked)
# npm itself checks the registry's integrity hash; the SHA-256 pins the exact tarball.
# Only what loadPyodide() fetches for the core is kept: pyodide.mjs (the loader module),
# pyodide.asm.mjs + pyodide.asm.wasm (the interpreter), python_stdlib.zip (the standard
# library) and pyodide-lock.json (its package index, read at start-up). No source maps, type
# declarations or consoles. The npm package has no licence file; Pyodide is MPL-2.0
# (package.json "license"), so its text is copied from Debian's common-licenses.
set -euo pipefail
version=${1:?"usage: $0 PYODIDE_VERSION TARBALL_SHA256 (see: npm view pyodide version)"}
sha=${2:?"usage: $0 PYODIDE_VERSION TARBALL_SHA256"}
cd "$(dirname "$0")/.."
dest=docs/assets/vendor/pyodide
mpl=/usr/share/common-licenses/MPL-2.0
[ -f "$mpl" ] || { echo "$mpl not found (Debian package base-files): need the MPL-2.0 text" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "pyodide@$version" >/dev/null)
echo "$sha  $tmp/pyodide-$version.tgz" | sha256sum --check --quiet
tar -xzf "$tmp/pyodide-$version.tgz" -C "$tmp"
pkg=$tmp/package
license=$(node -p "require('$pkg/package.json').license")
[ "$license" = "MPL-2.0" ] || { echo "pyodide $version is licensed $license, not MPL-2.0: check" >&2; exit 1; }

rm -rf "$dest"
mkdir -p "$dest"
cp "$pkg/pyodide.mjs" "$pkg/pyodide.asm.mjs" "$pkg/pyodide.asm.wasm" "$pkg/python_stdlib.zip" \
   "$pkg/pyodide-lock.json" "$dest/"
chmod 644 "$dest"/*
cp "$mpl" "$dest/LICENSE"
printf '%s\n%s\n' "$version" "$sha" > "$dest/VERSION"
echo "Pyodide $version vendored into $dest ($(du -sh "$dest" | cut -f1))"
