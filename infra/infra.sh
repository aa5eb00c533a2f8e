#!/usr/bin/env bash
# Local infrastructure for mailops: PostgreSQL + Kafka.
# Usage: infra/infra.sh start|stop|status
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

print_settings() {
  local port=${MAILOPS_PG_PORT:-15432} dbs=${MAILOPS_PG_DATABASES:-mailbox billing dns gateway mailhost} db
  echo
  echo "Connection settings:"
  printf '  %-24s %s\n' "kafka bootstrap servers:" "127.0.0.1:${MAILOPS_KAFKA_PORT:-19092}"
  for db in ${dbs//,/ }; do
    printf '  %-24s %s\n' "jdbc url ($db):" "jdbc:postgresql://127.0.0.1:$port/$db"
  done
  printf '  %-24s %s\n' "db user / password:" "${MAILOPS_PG_USER:-mailops} / ${MAILOPS_PG_PASSWORD:-mailops}"
}

case ${1:-} in
  start)
    # Neither needs the other: side by side (a first start initialises PostgreSQL's data folder while
    # Kafka's jars are fetched and its storage formatted).
    "$HERE/postgres.sh" start &
    postgres=$!
    "$HERE/kafka.sh" start &
    kafka=$!
    rc=0
    wait "$postgres" || rc=$?
    wait "$kafka" || rc=$?
    ((rc == 0)) || exit "$rc"
    # Compacted topics are created, never auto-created (that would give them the delete policy).
    "$HERE/kafka.sh" compacted-topic mailbox.credentials
    print_settings
    ;;
  stop)
    rc=0
    "$HERE/kafka.sh" stop || rc=$?
    "$HERE/postgres.sh" stop || rc=$?
    exit "$rc"
    ;;
  status)
    rc=0
    "$HERE/postgres.sh" status || rc=$?
    "$HERE/kafka.sh" status || rc=$?
    exit "$rc"
    ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
