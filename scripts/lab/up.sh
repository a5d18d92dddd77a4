#!/usr/bin/env bash
# Starts the lab: PostgreSQL primary (site A) + streaming standby (site B) + HAProxy in front,
# all on loopback, and (unless --no-load) a write-load client that logs every acknowledged id.
# Installs the Debian packages first if they are missing. See common.sh for the addresses.
#
#   npm run lab:up                       # or: bash scripts/lab/up.sh [--no-load]
#   DRPLAN_LAB_DIR=/tmp/lab2 DRPLAN_LAB_PORT=55432 bash scripts/lab/up.sh
#
# Everything it starts is recorded by PID under $DRPLAN_LAB_DIR; `npm run lab:down` stops it.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

load=1
for arg in "$@"; do
  case "$arg" in
    --no-load) load="" ;;
    *) die "unknown option $arg (usage: up.sh [--no-load])" ;;
  esac
done

bash "$LAB_SCRIPTS/install.sh" --check || bash "$LAB_SCRIPTS/install.sh"
BIN="$(pg_bindir)"

if [[ -e "$LAB" ]]; then
  die "$LAB exists: a lab is up there already (or was not taken down). Run \`npm run lab:down\` first (with the same DRPLAN_LAB_DIR)."
fi
for host in "$SITE_A_HOST" "$SITE_B_HOST" "$TEST_HOST" "$PROXY_HOST"; do
  if ss -Hltn "src $host:$PORT" 2>/dev/null | grep -q .; then die "$host:$PORT is already in use; pick another DRPLAN_LAB_PORT"; fi
done

started=$(date +%s%N)
mkdir -p "$LAB"/{site-a,site-b,test,haproxy,load}
chmod 755 "$LAB"
chown "$PG_OS_USER" "$LAB"/site-a "$LAB"/site-b "$LAB"/test 2>/dev/null || true
# If anything below fails, take down what was started.
trap 'status=$?; if [[ $status -ne 0 ]]; then log "start failed; taking the lab down"; bash "$LAB_SCRIPTS/down.sh" >&2 || true; fi' EXIT

# Per-site settings, rewritten after every copy (pg_basebackup copies the source's config files).
write_site_conf() {
  local dir="$1" host="$2" site="$3"
  as_pg mkdir -p "$LAB/$site/run"
  as_pg tee "$dir/drplan-site.conf" >/dev/null <<CONF
# drplan lab: settings of $site (rewritten by scripts/lab after every copy)
listen_addresses = '$host'
port = $PORT
unix_socket_directories = '$LAB/$site/run'
cluster_name = 'drplan-lab-$site'
CONF
}

write_common_conf() {
  local dir="$1"
  as_pg tee -a "$dir/postgresql.conf" >/dev/null <<'CONF'

# drplan lab: small, fast, streaming replication
wal_level = replica
max_wal_senders = 8
max_replication_slots = 8
wal_keep_size = 64MB
hot_standby = on
hot_standby_feedback = on
wal_log_hints = on
shared_buffers = 16MB
max_connections = 40
max_wal_size = 64MB
min_wal_size = 4MB
wal_sender_timeout = 5s
wal_receiver_status_interval = 1s
wal_receiver_timeout = 5s
wal_retrieve_retry_interval = 200ms
logging_collector = off
log_min_messages = warning
log_line_prefix = '%m [%p] '
include_if_exists = 'drplan-site.conf'
CONF
  as_pg tee "$dir/pg_hba.conf" >/dev/null <<'CONF'
# drplan lab: loopback only, no passwords (the lab listens on 127.0.0.0/8 and nowhere else)
local   all          all                 trust
host    all          all   127.0.0.0/8   trust
local   replication  all                 trust
host    replication  all   127.0.0.0/8   trust
CONF
}

pg_start() {
  local site="$1"
  as_pg "$BIN/pg_ctl" -D "$LAB/$site/data" -l "$LAB/$site/postgres.log" -w -t 60 start >/dev/null
}

log "site A: initdb"
as_pg "$BIN/initdb" -D "$LAB/site-a/data" -U postgres --auth=trust --locale=C.UTF-8 --encoding=UTF8 --wal-segsize=1 -N >/dev/null
write_common_conf "$LAB/site-a/data"
write_site_conf "$LAB/site-a/data" "$SITE_A_HOST" site-a
pg_start site-a
psql_at "$SITE_A_HOST" -c "CREATE TABLE drplan_lab_writes (id bigint PRIMARY KEY, client_ms bigint NOT NULL, committed_at timestamptz NOT NULL DEFAULT clock_timestamp())"

log "site B: pg_basebackup from site A, then streaming"
as_pg "$BIN/pg_basebackup" -h "$SITE_A_HOST" -p "$PORT" -U postgres -D "$LAB/site-b/data" -X stream -c fast -N
write_site_conf "$LAB/site-b/data" "$SITE_B_HOST" site-b
as_pg tee -a "$LAB/site-b/data/drplan-site.conf" >/dev/null <<CONF
primary_conninfo = 'host=$SITE_A_HOST port=$PORT user=postgres application_name=site-b connect_timeout=2'
CONF
as_pg touch "$LAB/site-b/data/standby.signal"
pg_start site-b
for ((i = 0; i < 200; i++)); do
  [[ "$(psql_at "$SITE_A_HOST" -c "SELECT count(*) FROM pg_stat_replication WHERE application_name = 'site-b' AND state = 'streaming'")" == 1 ]] && break
  sleep 0.05
done
[[ $i -lt 200 ]] || die "site B is not streaming from site A (see $LAB/site-b/postgres.log)"

log "HAProxy on $PROXY_HOST:$PORT -> site A (site B disabled until a failover switches it)"
cat >"$LAB/haproxy/haproxy.cfg" <<CONF
# drplan lab: one TCP service in front of the two sites, switched through the runtime API.
global
  stats socket $LAB/haproxy/admin.sock mode 600 level admin
  stats timeout 10s
  maxconn 400
defaults
  mode tcp
  timeout connect 200ms
  timeout client 1h
  timeout server 1h
  retries 2
frontend pg
  bind $PROXY_HOST:$PORT
  default_backend pg
backend pg
  # The standby is 'disabled' (maintenance), not 'backup': HAProxy must never send writes to a
  # replica on its own. drplan's haproxy adapter moves traffic with 'set server ... state'.
  server site-a $SITE_A_HOST:$PORT
  server site-b $SITE_B_HOST:$PORT disabled
CONF
"$(haproxy_bin)" -q -c -f "$LAB/haproxy/haproxy.cfg" >/dev/null || die "HAProxy rejected $LAB/haproxy/haproxy.cfg"
"$(haproxy_bin)" -q -D -f "$LAB/haproxy/haproxy.cfg" -p "$LAB/haproxy/haproxy.pid"
for ((i = 0; i < 100; i++)); do [[ -S "$LAB/haproxy/admin.sock" ]] && break; sleep 0.05; done
psql_at "$PROXY_HOST" -c "SELECT 1" >/dev/null || die "no answer through HAProxy at $PROXY_HOST:$PORT"

cat >"$LAB/lab.json" <<JSON
{
  "dir": "$LAB",
  "port": $PORT,
  "siteA": { "host": "$SITE_A_HOST", "dataDir": "$LAB/site-a/data" },
  "siteB": { "host": "$SITE_B_HOST", "dataDir": "$LAB/site-b/data", "applicationName": "site-b" },
  "test": { "host": "$TEST_HOST", "dataDir": "$LAB/test/data" },
  "haproxy": { "host": "$PROXY_HOST", "socket": "$LAB/haproxy/admin.sock", "backend": "pg" },
  "load": { "log": "$LAB/load/acked.log", "pidFile": "$LAB/load/writer.pid" },
  "osUser": "$PG_OS_USER",
  "bindir": "$BIN"
}
JSON

if [[ -n "$load" ]]; then bash "$LAB_SCRIPTS/ctl.sh" load-start; fi
trap - EXIT
log "up in $(( ($(date +%s%N) - started) / 1000000 )) ms: service $PROXY_HOST:$PORT (HAProxy) -> site A $SITE_A_HOST:$PORT, standby site B $SITE_B_HOST:$PORT; state in $LAB"
