#!/usr/bin/env bash
# Makes sure what the tests talk to is installed and running on this machine:
# Redis and PostgreSQL (started when down), Chromium for browser tests, Tesseract (Dutch)
# and poppler-utils for letters,
# redis-server for tests that need a Redis of their own, and Dovecot (IMAP + LMTP) for
# the mail tests, which start private instances of it (test/support/dovecot.ts).
set -euo pipefail

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v pg_ctlcluster >/dev/null 2>&1 || missing+=(postgresql)
# OCR of scanned letters (Dutch) and the PDF tools that read printed letters back.
command -v tesseract >/dev/null 2>&1 || missing+=(tesseract-ocr)
[ -f /usr/share/tesseract-ocr/5/tessdata/nld.traineddata ] || [ -f /usr/share/tesseract-ocr/4.00/tessdata/nld.traineddata ] || missing+=(tesseract-ocr-nld)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
installing_dovecot=no
[ -x /usr/sbin/dovecot ] || { missing+=(dovecot-imapd dovecot-lmtpd); installing_dovecot=yes; }
if [ ${#missing[@]} -gt 0 ]; then
  echo "test-services: installing ${missing[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The mail tests start private Dovecots (own config, base_dir and free ports) and never
# use the system one. The package's postinst may have just started it (with systemd, or
# where policy-rc.d allows it): stop it so it holds no ports. A system Dovecot that was
# there before this script is left alone.
if [ "$installing_dovecot" = yes ]; then
  if [ -d /run/systemd/system ]; then
    as_root systemctl disable --now dovecot.service dovecot.socket >/dev/null 2>&1 || true
  elif [ -s /run/dovecot/master.pid ] && as_root kill "$(cat /run/dovecot/master.pid)" 2>/dev/null; then
    echo "test-services: stopped the system Dovecot the package started (tests run their own)"
  fi
fi

if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  echo "test-services: starting Redis on 127.0.0.1:6379"
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
fi

if ! pg_isready -h 127.0.0.1 -p 5432 -q; then
  echo "test-services: starting PostgreSQL on 127.0.0.1:5432"
  as_root pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -1)" main start
fi

for _ in $(seq 1 60); do
  if redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && pg_isready -h 127.0.0.1 -p 5432 -q; then
    exit 0
  fi
  sleep 1
done
echo "test-services: Redis or PostgreSQL did not come up" >&2
exit 1
