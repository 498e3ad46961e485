#!/usr/bin/env bash
# Starts the machine's PostgreSQL (Debian cluster) for the database-sink tests and exports
# TRADETX_TEST_JDBC_URL/_USER/_PASSWORD. A throwaway role gets a fresh random password each run.
# Sourced by .ci/run; needs root (it runs psql as the postgres user).
set -euo pipefail

if ! command -v pg_lsclusters >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
fi
pg_version="$(find /usr/lib/postgresql -mindepth 1 -maxdepth 1 -printf "%f\n" | sort -n | tail -1)"
if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -qx "$pg_version main"; then
  pg_createcluster "$pg_version" main >/dev/null
fi
if ! pg_lsclusters -h | awk -v v="$pg_version" '$1==v && $2=="main" {print $4}' | grep -q online; then
  pg_ctlcluster "$pg_version" main start
fi
pg_port="$(pg_lsclusters -h | awk -v v="$pg_version" '$1==v && $2=="main" {print $3}')"
pg_password="$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
su postgres -c "psql -q -v ON_ERROR_STOP=1 -p $pg_port" <<SQL
DO \$\$BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'tradetx') THEN CREATE ROLE tradetx LOGIN; END IF;
END\$\$;
ALTER ROLE tradetx PASSWORD '$pg_password';
SQL
if ! su postgres -c "psql -p $pg_port -qtAc \"SELECT 1 FROM pg_database WHERE datname = 'tradetx'\"" | grep -q 1; then
  su postgres -c "createdb -p $pg_port -O tradetx tradetx"
fi
export TRADETX_TEST_JDBC_URL="jdbc:postgresql://127.0.0.1:$pg_port/tradetx"
export TRADETX_TEST_JDBC_USER=tradetx
export TRADETX_TEST_JDBC_PASSWORD="$pg_password"
echo "PostgreSQL $pg_version on port $pg_port for the database-sink tests"
