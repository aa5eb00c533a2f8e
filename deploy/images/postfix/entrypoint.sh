#!/bin/sh
# Starts Postfix's master in the foreground (it must be started as root) with the configuration mounted
# at /etc/mailops/postfix (a ConfigMap, or the files of deploy/kubernetes/mailhost/ in docker-compose).
# The lookup tables get their connection, and the read-only role's password from a mounted Secret
# file, here at start, in /run/mailops/postfix; the host name and the relay host come from the environment.
set -eu
: "${MAILOPS_MAILHOST_HOSTNAME:?the mail host name, e.g. mail.example.com}"
: "${MAILHOST_DB_HOST:?the PostgreSQL host}"
MAILHOST_DB_PORT=${MAILHOST_DB_PORT:-5432}
MAILHOST_DB_NAME=${MAILHOST_DB_NAME:-mailhost}
MAILHOST_DB_READER=${MAILHOST_DB_READER:-${MAILHOST_DB_NAME}_reader}
PASSWORD_FILE=${MAILHOST_DB_READER_PASSWORD_FILE:-/etc/mailops/db-reader/password}
RELAYHOST=${MAILOPS_MAILHOST_RELAYHOST:-}
# The forward route's SRS: the domain forwarded mail's envelope sender is rewritten into, and postsrsd's
# secret (a mounted Secret, the same in every pod; without one, one of this pod's own).
SRS_DOMAIN=${MAILOPS_MAILHOST_SRS_DOMAIN:-$MAILOPS_MAILHOST_HOSTNAME}
SRS_SECRET_FILE=${MAILOPS_MAILHOST_SRS_SECRET_FILE:-/etc/mailops/srs/secret}
case $SRS_DOMAIN in *[!A-Za-z0-9.-]*) echo "mailops-postfix: the SRS domain must be a plain host name" >&2; exit 1 ;; esac
[ -s "$PASSWORD_FILE" ] || { echo "mailops-postfix: no password in $PASSWORD_FILE" >&2; exit 1; }
CONF=/run/mailops/postfix

mkdir -p "$CONF" /var/spool/postfix /var/lib/postfix /var/log/postfix
cp /etc/mailops/postfix/main.cf /etc/mailops/postfix/master.cf "$CONF/"
for map in domains mailboxes aliases sender-logins forward-senders; do
  (umask 027 && {
    printf 'hosts = inet:%s:%s\ndbname = %s\nuser = %s\npassword = %s\n' \
      "$MAILHOST_DB_HOST" "$MAILHOST_DB_PORT" "$MAILHOST_DB_NAME" "$MAILHOST_DB_READER" "$(cat "$PASSWORD_FILE")"
    sed "s/@SRS_DOMAIN@/$SRS_DOMAIN/g" "/etc/mailops/postfix/pgsql-$map.cf"
  } >"$CONF/pgsql-$map.cf")
  chown root:postfix "$CONF/pgsql-$map.cf"
done
# The SRS domain's addresses that postsrsd's reverse table may give back (bounces to forwarded mail).
sed "s/@SRS_DOMAIN_PATTERN@/$(printf %s "$SRS_DOMAIN" | sed 's/\./\\\\./g')/g" /etc/mailops/postfix/srs-recipients.regexp \
  >"$CONF/srs-recipients.regexp"
# Outbound delivery to the internet only through a relay host; without one such mail bounces.
if [ -n "$RELAYHOST" ]; then transport=smtp; else transport="error:5.7.1 outbound delivery is off on this mail host"; fi
postconf -c "$CONF" -e "myhostname = $MAILOPS_MAILHOST_HOSTNAME" "relayhost = $RELAYHOST" "default_transport = $transport" \
  "virtual_alias_domains = $SRS_DOMAIN"
chown postfix:postfix /var/lib/postfix
postfix -c "$CONF" check
# postsrsd, the forward route's SRS lookup tables on loopback (10701, reverse 10702), kept running: while it
# is away the forward route's cleanup answers 451 and forwarded mail waits in the queue, and SMTP in answers
# a bounce to an SRS address with 451 (the sender retries).
if [ ! -s "$SRS_SECRET_FILE" ]; then
  echo "mailops-postfix: no SRS secret in $SRS_SECRET_FILE; this pod makes one of its own"
  SRS_SECRET_FILE=/run/mailops/srs-secret
  (umask 077 && head -c 24 /dev/urandom | base64 >"$SRS_SECRET_FILE")
fi
( while true; do postsrsd -4 -l 127.0.0.1 -f 10701 -r 10702 -d "$SRS_DOMAIN" -s "$SRS_SECRET_FILE" -u postsrsd
    echo "mailops: postsrsd ended; starting it again"; sleep 1; done ) &
# The log, which the exporter reads, goes to the container's output too; rotated daily, one day kept.
touch /var/log/postfix/postfix.log
tail -n 0 -F /var/log/postfix/postfix.log &
( while sleep 86400; do postfix -c "$CONF" logrotate >/dev/null 2>&1
    find /var/log/postfix -name 'postfix.log.*' -mtime +1 -delete; done ) &
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
      postfix -c "$CONF" reload >/dev/null 2>&1 || true
    fi
    last=$now
  done
}
watch_postgres &
exec postfix -c "$CONF" start-fg
