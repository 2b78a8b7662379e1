#!/usr/bin/env bash
# Run the suite against PostgreSQL and Redis, in a fresh database that is dropped afterwards.
set -euo pipefail
cd "$(dirname "$0")/../.."

PGHOST=${PGHOST:-127.0.0.1}
PGPORT=${PGPORT:-5432}
PGUSER=${PGUSER:-postgres}
DB="schoolportal_ci_$$"
export DATABASE_URL="postgres://${PGUSER}@${PGHOST}:${PGPORT}/${DB}"
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/3}

psql_admin() { psql -h "$PGHOST" -p "$PGPORT" -U "$PGUSER" -d postgres -v ON_ERROR_STOP=1 -q "$@"; }
psql_admin -c "CREATE DATABASE ${DB}"
trap 'psql_admin -c "DROP DATABASE IF EXISTS ${DB}" || true; psql_admin -c "DROP DATABASE IF EXISTS test_${DB}" || true' EXIT

echo "Suite on PostgreSQL (${DB}) and Redis (${REDIS_URL})"
DJANGO_SETTINGS_MODULE=schoolportal.settings.test .venv/bin/pytest -p no:cacheprovider
