#!/bin/sh
# Starts OpenDKIM in the foreground with the configuration mounted at /etc/mailops/opendkim (a ConfigMap,
# or deploy/kubernetes/mailhost/opendkim in docker-compose). The KeyTable and SigningTable get their
# connection, with the read-only role's password from a mounted Secret file, here at start, in
# /run/mailops/opendkim. Started as root: it makes the key directory safe for OpenDKIM's key checks
# (no ancestor writable by others), starts syslogd for the log, waits for the views, runs the PostgreSQL
# watchdog, and OpenDKIM (the container's main process) drops to opendkim:mailhost.
set -eu
: "${MAILHOST_DB_HOST:?the PostgreSQL host}"
MAILHOST_DB_PORT=${MAILHOST_DB_PORT:-5432}
MAILHOST_DB_NAME=${MAILHOST_DB_NAME:-mailhost}
MAILHOST_DB_READER=${MAILHOST_DB_READER:-${MAILHOST_DB_NAME}_reader}
PASSWORD_FILE=${MAILHOST_DB_READER_PASSWORD_FILE:-/etc/mailops/db-reader/password}
# Where mailhost-service writes the keys (its MAILHOST_DKIM_KEY_DIRECTORY), and who it runs as.
KEY_DIR=${MAILOPS_DKIM_KEY_DIRECTORY:-/var/lib/mailops/dkim/keys}
KEY_OWNER=${MAILOPS_DKIM_KEY_OWNER:-185:185}
PORT=${MAILOPS_DKIM_PORT:-10891}
ALGORITHM=${MAILOPS_DKIM_ALGORITHM:-rsa-sha256}
# The forward instance (Postfix's forward route) signs by the domain of the X-Original-To the route
# prepends: MAILOPS_DKIM_SENDER_HEADERS=X-Original-To. Unset: by the From: domain (submission, SMTPS).
SENDER_HEADERS=${MAILOPS_DKIM_SENDER_HEADERS:-}
[ -s "$PASSWORD_FILE" ] || { echo "mailops-opendkim: no password in $PASSWORD_FILE" >&2; exit 1; }
password=$(cat "$PASSWORD_FILE")
# The data set's DSN has no quoting: a password with one of these characters would cut it short.
case $password in *[@/:?+\ ]*) echo "mailops-opendkim: the reader's password must not contain @ / : ? + or a space" >&2; exit 1 ;; esac
CONF=${MAILOPS_DKIM_RUN_DIRECTORY:-/run/mailops/opendkim}

# The shared volume (an emptyDir, writable by all) becomes root's, and mailhost-service's key directory in it its own.
mkdir -p "$KEY_DIR"
chown root:root "$(dirname "$KEY_DIR")"
chmod 0755 "$(dirname "$KEY_DIR")"
chown "$KEY_OWNER" "$KEY_DIR"
chmod 0750 "$KEY_DIR"

mkdir -p "$CONF"
dsn="dsn:pgsql://$MAILHOST_DB_READER:$password@$MAILHOST_DB_PORT+$MAILHOST_DB_HOST/$MAILHOST_DB_NAME"
(umask 077 && {
  cat /etc/mailops/opendkim/opendkim.conf
  printf 'Socket                  inet:%s\nSignatureAlgorithm      %s\n' "$PORT" "$ALGORITHM"
  if [ -n "$SENDER_HEADERS" ]; then printf 'SenderHeaders           %s\n' "$SENDER_HEADERS"; fi
  printf 'KeyTable                %s/table=opendkim_key_table?keycol=key_name?datacol=domain,selector,key_path\n' "$dsn"
  printf 'SigningTable            %s/table=opendkim_signing_table?keycol=domain?datacol=key_name\n' "$dsn"
} >"$CONF/opendkim.conf")
chown opendkim "$CONF/opendkim.conf"

# OpenDKIM opens its data sets once, and a connection opened before mailhost-service's migration made the
# views fails every lookup until a reload: start it only once they answer (the milter's port stays closed,
# the pod unready, meanwhile). After a PostgreSQL restart or failover the connection is broken as well:
# like the Postfix image's watchdog, reload (SIGUSR1, which reopens the data sets) when the server's start
# time changes or it answers again.
ask() {
  PGPASSWORD=$password PGCONNECT_TIMEOUT=2 psql -X -At -h "$MAILHOST_DB_HOST" -p "$MAILHOST_DB_PORT" \
    -U "$MAILHOST_DB_READER" -d "$MAILHOST_DB_NAME" -c "$1" 2>/dev/null
}
until ask 'SELECT count(*) FROM opendkim_key_table, opendkim_signing_table WHERE false' >/dev/null; do
  echo "mailops-opendkim: waiting for mailhost-service's views opendkim_key_table and opendkim_signing_table"
  sleep 2
done
watch_postgres() {
  last=""
  while sleep "${MAILOPS_MAILHOST_WATCH_INTERVAL:-2}"; do
    now=$(ask 'SELECT pg_postmaster_start_time()' || echo down)
    if [ -n "$last" ] && [ "$now" != "$last" ] && [ "$now" != down ]; then
      echo "mailops: PostgreSQL restarted ($last -> $now); reloading OpenDKIM"
      kill -USR1 "$1" 2>/dev/null || true
    fi
    last=$now
  done
}
watch_postgres $$ &
if [ "${MAILOPS_DKIM_SYSLOGD:-on}" = on ]; then busybox syslogd -n -s 0 -O /dev/stdout & fi
exec opendkim -f -x "$CONF/opendkim.conf"
