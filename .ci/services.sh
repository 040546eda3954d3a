#!/usr/bin/env bash
# Start the real services the tests use, then run the given command with their URLs exported:
#   .ci/services.sh pytest -q tests
# PostgreSQL -> ATS_TEST_POSTGRES_URL, Redis -> ATS_TEST_REDIS_URL (either already set is used as given).
#
# As root on Debian/Ubuntu (CI: a fresh machine with nothing started) a missing service is installed with
# apt-get, started on loopback, and given a test role and database. Elsewhere this prints what to install.
# With CI=true a service that cannot be had fails the run; without, its tests skip and say why.
# Readiness is waited on (pg_isready, redis-cli ping), bounded by SERVICE_WAIT_SECONDS.
set -euo pipefail

WAIT_SECONDS="${SERVICE_WAIT_SECONDS:-60}"
PG_ROLE=ats_test
PG_DATABASE=ats_test
PG_PASSWORD=ats_test
REDIS_PORT="${ATS_TEST_REDIS_PORT:-6379}"
missing=()

say() { echo "services: $*" >&2; }
is_root() { [ "$(id -u)" -eq 0 ]; }
can_apt() { is_root && command -v apt-get >/dev/null 2>&1; }

apt_install() {
    say "installing $* with apt-get"
    if [ -z "${APT_UPDATED:-}" ]; then
        DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout="$WAIT_SECONDS" update -qq >&2
        APT_UPDATED=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout="$WAIT_SECONDS" install -y -qq "$@" >&2
}

# The first cluster pg_lsclusters lists: "version name port status".
pg_cluster() { pg_lsclusters --no-header 2>/dev/null | awk 'NR == 1 { print $1, $2, $3, $4 }'; }

as_postgres() { (cd / && runuser -u postgres -- "$@"); }

start_postgres() {
    if ! command -v pg_lsclusters >/dev/null 2>&1 || [ -z "$(pg_cluster)" ]; then
        can_apt || return 1
        apt_install postgresql
    fi
    read -r version name port status <<<"$(pg_cluster)"
    if [ "$status" != "online" ]; then
        is_root || return 1
        say "starting PostgreSQL $version/$name on 127.0.0.1:$port"
        pg_ctlcluster "$version" "$name" start >&2
    fi
    pg_isready -q -h 127.0.0.1 -p "$port" -t "$WAIT_SECONDS" || { say "PostgreSQL did not become ready"; return 1; }
    if is_root; then
        as_postgres psql -q -p "$port" -v ON_ERROR_STOP=1 >&2 <<SQL
SELECT 'CREATE ROLE $PG_ROLE LOGIN PASSWORD ''$PG_PASSWORD'''
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$PG_ROLE') \gexec
SELECT 'CREATE DATABASE $PG_DATABASE OWNER $PG_ROLE'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$PG_DATABASE') \gexec
SQL
    fi
    export ATS_TEST_POSTGRES_URL="postgresql+psycopg://$PG_ROLE:$PG_PASSWORD@127.0.0.1:$port/$PG_DATABASE"
}

redis_ready() {
    # Like pg_isready -t: ask every 0.1 s until Redis answers PONG, for WAIT_SECONDS at most.
    local attempt
    for ((attempt = 0; attempt < WAIT_SECONDS * 10; attempt++)); do
        [ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" = PONG ] && return 0
        sleep 0.1
    done
    return 1
}

start_redis() {
    if ! command -v redis-server >/dev/null 2>&1; then
        can_apt || return 1
        apt_install redis-server
    fi
    if ! redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1; then
        say "starting Redis on 127.0.0.1:$REDIS_PORT"
        redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --daemonize yes --save "" --appendonly no \
            --logfile "${TMPDIR:-/tmp}/ats-test-redis.log" >&2
    fi
    redis_ready || { say "Redis did not answer PING"; return 1; }
    export ATS_TEST_REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
}

if [ -n "${ATS_TEST_POSTGRES_URL:-}" ]; then
    say "PostgreSQL from ATS_TEST_POSTGRES_URL"
elif ! start_postgres; then
    missing+=("PostgreSQL (apt-get install postgresql, start it, and set ATS_TEST_POSTGRES_URL=postgresql+psycopg://USER:PASSWORD@127.0.0.1:5432/DATABASE)")
fi
if [ -n "${ATS_TEST_REDIS_URL:-}" ]; then
    say "Redis from ATS_TEST_REDIS_URL"
elif ! start_redis; then
    missing+=("Redis (apt-get install redis-server, start it, and set ATS_TEST_REDIS_URL=redis://127.0.0.1:6379/0)")
fi

for service in "${missing[@]}"; do
    say "not available: $service"
done
if [ "${#missing[@]}" -gt 0 ]; then
    if [ "${CI:-}" = "true" ]; then
        say "CI=true: the tests that need these services must run, so this run fails"
        exit 1
    fi
    say "their tests will be skipped (run as root on Debian, or set the URLs, to run them)"
fi

if [ "$#" -gt 0 ]; then
    exec "$@"
fi
