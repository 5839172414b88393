#!/usr/bin/env bash
# Starts tslab from the project root, so notebook cells can `import ... from "./src/..."`
# (tslab resolves imports from the kernel's working directory and ignores tsconfig.json).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
exec node "$root/node_modules/tslab/bin/tslab" kernel --config-path "$1"
