# Sourced by server.sh for STORE=postgres: sets PG_URL to an empty database. With PG_URL already
# set, uses that (it must be empty, or hold only Switchyard's tables). Otherwise starts a throwaway
# cluster as .ci/run does: PostgreSQL from Debian's package (apt-get install postgresql), in a
# temporary folder, on a free loopback port, run by an unprivileged user when run as root, with
# fsync on (a benchmark should pay for durability); stopped by stop_postgres.
if [ -z "${PG_URL:-}" ]; then
    pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
    [ -n "$pg_bin" ] || { echo "STORE=postgres needs PostgreSQL (apt-get install postgresql) or PG_URL" >&2; exit 69; }
    pg_dir=$(mktemp -d /tmp/switchyard-bench-postgres.XXXXXX)
    if [ "$(id -u)" -eq 0 ]; then
        id -u switchyard-ci >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin switchyard-ci
        chown switchyard-ci "$pg_dir"
        as_postgres() { runuser -u switchyard-ci -- "$@"; }
    else
        as_postgres() { "$@"; }
    fi
    pg_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    as_postgres "$pg_bin/initdb" -D "$pg_dir/data" -U postgres --auth=trust -E UTF8 >/dev/null
    as_postgres "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/log" -w \
        -o "-c listen_addresses=127.0.0.1 -p $pg_port -k $pg_dir -c max_connections=300" start >/dev/null
    stop_postgres() {
        as_postgres "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast stop >/dev/null 2>&1 || true
        rm -rf "$pg_dir"
    }
    PG_URL="postgres://postgres@127.0.0.1:$pg_port/postgres?sslmode=disable"
fi
