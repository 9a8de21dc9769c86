#!/usr/bin/env bash
# Set-up of a fresh clone: the Debian packages that canvas (PNG charts) and the native engine
# (OpenBLAS) build against when they are missing, MariaDB running for the database tests, then
# `npm ci` (which also builds dist/ and the native engine) and `npm link` (the `sched` command
# on PATH). Run as root on Debian; elsewhere install the equivalents and run `npm ci`.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
for p in libcairo2-dev libpango1.0-dev libjpeg-dev libgif-dev librsvg2-dev libpixman-1-dev libopenblas-dev; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "installing Debian packages: ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

# MariaDB for the database tests (127.0.0.1:3306, root, empty password).
if command -v mariadb-admin >/dev/null && ! mariadb-admin -uroot -h127.0.0.1 ping >/dev/null 2>&1; then
  echo "starting MariaDB"
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd || true
  for _ in $(seq 1 30); do
    mariadb-admin -uroot -h127.0.0.1 ping >/dev/null 2>&1 && break
    sleep 1
  done
fi

npm ci

# the `sched` command on PATH (a global link to this clone's dist/cli/main.js), as README's examples use it
npm link --no-fund --no-audit --loglevel=error
