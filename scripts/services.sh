#!/usr/bin/env bash
# Makes sure the services the tests use are installed, configured and running on this machine:
# PostgreSQL on 127.0.0.1:5432 (superuser `postgres`, trust auth on loopback only, as the tests
# connect) and Redis on 127.0.0.1:6379. A fresh machine has neither: they come from Debian's
# packages. Idempotent: on a machine where both answer it changes nothing.
# Usage: bash scripts/services.sh   (as root, or with passwordless sudo)
set -euo pipefail

as_root() { if [[ $(id -u) == 0 ]]; then "$@"; else sudo "$@"; fi; }

apt_updated=0
apt_install() {
  if [[ $apt_updated == 0 ]]; then
    as_root apt-get -o DPkg::Lock::Timeout=600 update -qq
    apt_updated=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq "$@" >/dev/null
}

pg_up() { pg_isready -q -h 127.0.0.1 -p 5432 -t 2 2>/dev/null; }

# --- PostgreSQL -------------------------------------------------------------------------
if ! command -v pg_ctlcluster >/dev/null 2>&1 || [[ -z "$(ls /etc/postgresql 2>/dev/null)" ]]; then
  echo "services: installing PostgreSQL from Debian" >&2
  apt_install postgresql
fi
version=$(ls /etc/postgresql | sort -V | tail -n 1)
hba="/etc/postgresql/$version/main/pg_hba.conf"
# The tests log in as `postgres` and as the roles they create, without passwords, over TCP on
# loopback: put a trust line for 127.0.0.1 ahead of every other rule (loopback only).
if ! grep -Eq '^host[[:space:]]+all[[:space:]]+all[[:space:]]+127\.0\.0\.1/32[[:space:]]+trust' "$hba"; then
  echo "services: trusting loopback connections in $hba" >&2
  as_root sed -i '1i host    all             all             127.0.0.1/32            trust' "$hba"
  if pg_up; then as_root pg_ctlcluster --skip-systemctl-redirect "$version" main reload; fi
fi
if ! pg_up; then
  echo "services: starting PostgreSQL $version/main" >&2
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start
  for _ in $(seq 1 30); do pg_up && break; sleep 1; done
fi
pg_up || { echo "services: PostgreSQL does not answer on 127.0.0.1:5432" >&2; exit 1; }

# --- Redis ------------------------------------------------------------------------------
if ! command -v redis-server >/dev/null 2>&1; then
  echo "services: installing Redis from Debian" >&2
  apt_install redis-server
fi
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  echo "services: starting Redis on 127.0.0.1:6379" >&2
  mkdir -p /tmp/tapgen-redis
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
    --dir /tmp/tapgen-redis --logfile /tmp/tapgen-redis/redis.log
  for _ in $(seq 1 30); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 0.5; done
fi
redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null || { echo "services: Redis does not answer" >&2; exit 1; }
echo "services: PostgreSQL $version and Redis are up" >&2
