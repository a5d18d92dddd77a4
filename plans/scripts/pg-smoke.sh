#!/bin/sh
# Smoke check of a PostgreSQL service, used by plans/pg-failover.yaml:
#
#   pg-smoke.sh <host> <port> <expected server address> [label]
#
# Connects to host:port (HAProxy's service address, or a test copy's own address), and checks
# that the server answering is the expected one, that it is a primary, and that it takes a write
# (a row labelled <label> in table drplan_smoke). Prints the answer; exits 1 on any mismatch.
# The label reaches SQL as a psql variable (:'label'), quoted by psql, never spliced into SQL.
set -eu
host="${1:?usage: pg-smoke.sh <host> <port> <expected address> [label]}"
port="${2:?usage: pg-smoke.sh <host> <port> <expected address> [label]}"
expect="${3:?usage: pg-smoke.sh <host> <port> <expected address> [label]}"
label="${4:-smoke}"

psql_bin="psql"
for d in /usr/lib/postgresql/*/bin; do [ -x "$d/psql" ] && psql_bin="$d/psql"; done

answer="$("$psql_bin" -X -q -At -v ON_ERROR_STOP=1 -v label="$label" \
  "host=$host port=$port user=postgres dbname=postgres connect_timeout=3 application_name=drplan-smoke" <<'SQL'
SET client_min_messages = warning;
CREATE TABLE IF NOT EXISTS drplan_smoke (id bigserial PRIMARY KEY, label text NOT NULL, at timestamptz NOT NULL DEFAULT now());
INSERT INTO drplan_smoke (label) VALUES (:'label') RETURNING host(inet_server_addr()) || ' ' || CASE WHEN pg_is_in_recovery() THEN 'standby' ELSE 'primary' END;
SQL
)"
server="${answer% *}"
role="${answer#* }"
echo "smoke: $host:$port is served by $server ($role), wrote label $label"
if [ "$server" != "$expect" ]; then
  echo "smoke: expected $expect to answer on $host:$port, got $server" >&2
  exit 1
fi
if [ "$role" != "primary" ]; then
  echo "smoke: $server is a $role; it should be a primary" >&2
  exit 1
fi
echo "smoke: ok"
