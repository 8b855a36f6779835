#!/usr/bin/env bash
# Runs Loket (ROLE=all by default) on a fresh clone: installs, builds, starts.
# With the default REDIS_URL and no Redis answering, starts a local redis-server
# (append-only file in DATA_DIR/redis) when one is installed.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
# Node.js 24 (the current LTS) comes as a dependency (the npm package "node"): it runs
# Loket and its tests whatever Node.js the machine has.
export PATH="$PWD/node_modules/.bin:$PATH"
echo "$(basename "$0"): Node.js $(node --version)"
npx tsc -p tsconfig.build.json --incremental --tsBuildInfoFile dist/.tsbuildinfo
npx tsx channels/chat/widget/build.ts dist/widget/widget.js

redis_answers() { (exec 3<>/dev/tcp/127.0.0.1/6379 && printf 'PING\r\n' >&3 && read -r -t 2 reply <&3 && [[ $reply == +PONG* ]]) 2>/dev/null; }
if [ -z "${REDIS_URL:-}" ] && ! redis_answers; then
  if command -v redis-server >/dev/null 2>&1; then
    data_dir="$(realpath -m "${DATA_DIR:-./data}")/redis"
    mkdir -p "$data_dir"
    echo "start: no Redis on 127.0.0.1:6379; starting redis-server with its data in $data_dir"
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --dir "$data_dir" --appendonly yes --save ''
    for _ in $(seq 1 20); do redis_answers && break; sleep 0.25; done
  else
    echo "start: Loket needs Redis: none answers on 127.0.0.1:6379 and redis-server is not installed (apt-get install redis-server), or set REDIS_URL" >&2
    exit 1
  fi
fi
# The heap limit the Dockerfile sets (see there why), unless NODE_OPTIONS says otherwise.
export NODE_OPTIONS="${NODE_OPTIONS:---max-old-space-size=1024}"
exec node --enable-source-maps dist/src/main.js
