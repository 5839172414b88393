#!/usr/bin/env bash
# Starts tslab from the project root, so notebook cells can `import ... from "./src/..."`
# (tslab resolves imports from the kernel's working directory and ignores tsconfig.json).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
# preload.js: errors thrown in src/ show the .ts file and line, not the .js path tslab loads them under (see source_maps.js).
exec node --require "$root/kernels/tslab/preload.js" "$root/node_modules/tslab/bin/tslab" kernel --config-path "$1"
