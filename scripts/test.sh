#!/usr/bin/env bash
# The whole test suite on a fresh machine: installs dependencies and services, then runs vitest.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
# Node.js 24 (the current LTS) comes as a dependency (the npm package "node"): it runs
# Loket and its tests whatever Node.js the machine has.
export PATH="$PWD/node_modules/.bin:$PATH"
echo "$(basename "$0"): Node.js $(node --version)"
bash scripts/test-services.sh
npx tsc --noEmit -p tsconfig.json
# The layering (dependency-cruiser), the format (Prettier) and ESLint's type-aware rules.
npm run --silent lint
npx vitest run "$@"
