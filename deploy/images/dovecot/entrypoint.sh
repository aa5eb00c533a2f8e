#!/bin/sh
# Starts Dovecot in the foreground with the configuration mounted at /etc/mailops/dovecot (a ConfigMap,
# or the files of deploy/kubernetes/mailhost/ in docker-compose). What differs per installation comes
# from the environment, and the read-only database role's password from a mounted Secret file; both
# are written into /run/mailops, never into the image or the ConfigMap.
set -eu
: "${MAILOPS_MAILHOST_HOSTNAME:?the mail host name, e.g. mail.example.com}"
: "${MAILHOST_DB_HOST:?the PostgreSQL host}"
MAILHOST_DB_PORT=${MAILHOST_DB_PORT:-5432}
MAILHOST_DB_NAME=${MAILHOST_DB_NAME:-mailhost}
MAILHOST_DB_READER=${MAILHOST_DB_READER:-${MAILHOST_DB_NAME}_reader}
PASSWORD_FILE=${MAILHOST_DB_READER_PASSWORD_FILE:-/etc/mailops/db-reader/password}
[ -s "$PASSWORD_FILE" ] || { echo "mailops-dovecot: no password in $PASSWORD_FILE" >&2; exit 1; }

mkdir -p /run/mailops /run/dovecot /var/lib/dovecot
umask 027
{
  # Generated at start; the password comes from the Secret, the queries from the ConfigMap.
  printf 'driver = pgsql\n'
  printf 'connect = host=%s port=%s dbname=%s user=%s password=%s connect_timeout=3\n' \
    "$MAILHOST_DB_HOST" "$MAILHOST_DB_PORT" "$MAILHOST_DB_NAME" "$MAILHOST_DB_READER" "$(cat "$PASSWORD_FILE")"
  cat /etc/mailops/dovecot/dovecot-sql.conf.ext
} >/run/mailops/sql.conf.ext
chown root:dovecot /run/mailops/sql.conf.ext
umask 022
cat >/run/mailops/dovecot-local.conf <<CONF
hostname = $MAILOPS_MAILHOST_HOSTNAME
protocol lmtp {
  postmaster_address = postmaster@$MAILOPS_MAILHOST_HOSTNAME
}
CONF
# After a PostgreSQL restart or failover Postfix's lookup tables answer 451 for 60 s and Dovecot fails
# the first login on its broken connection; like infra/mailhost.sh's watchdog, reload when the server's
# start time changes (a new primary behind the service too) or it answers again, which reconnects at once.
watch_postgres() {
  last=""
  while sleep "${MAILOPS_MAILHOST_WATCH_INTERVAL:-2}"; do
    now=$(PGPASSWORD=$(cat "$PASSWORD_FILE") PGCONNECT_TIMEOUT=2 psql -X -At -h "$MAILHOST_DB_HOST" \
      -p "$MAILHOST_DB_PORT" -U "$MAILHOST_DB_READER" -d "$MAILHOST_DB_NAME" -c 'SELECT pg_postmaster_start_time()' \
      2>/dev/null || echo down)
    if [ -n "$last" ] && [ "$now" != "$last" ] && [ "$now" != down ]; then
      echo "mailops: PostgreSQL restarted ($last -> $now); reloading"
      doveadm -c /etc/mailops/dovecot/dovecot.conf reload || true
    fi
    last=$now
  done
}
watch_postgres &
exec dovecot -F -c /etc/mailops/dovecot/dovecot.conf
