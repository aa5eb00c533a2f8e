#!/bin/sh
# Starts OpenDKIM in the foreground with the configuration mounted at /etc/mailops/opendkim (a ConfigMap,
# or deploy/kubernetes/mailhost/opendkim in docker-compose). The KeyTable and SigningTable get their
# connection, with the read-only role's password from a mounted Secret file, here at start, in
# /run/mailops/opendkim. Started as root: it makes the key directory safe for OpenDKIM's key checks
# (no ancestor writable by others), starts syslogd for the log, and OpenDKIM drops to opendkim:mailhost.
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
[ -s "$PASSWORD_FILE" ] || { echo "mailops-opendkim: no password in $PASSWORD_FILE" >&2; exit 1; }
password=$(cat "$PASSWORD_FILE")
# The data set's DSN has no quoting: a password with one of these characters would cut it short.
case $password in *[@/:?+\ ]*) echo "mailops-opendkim: the reader's password must not contain @ / : ? + or a space" >&2; exit 1 ;; esac
CONF=/run/mailops/opendkim

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
  printf 'KeyTable                %s/table=opendkim_key_table?keycol=key_name?datacol=domain,selector,key_path\n' "$dsn"
  printf 'SigningTable            %s/table=opendkim_signing_table?keycol=domain?datacol=key_name\n' "$dsn"
} >"$CONF/opendkim.conf")
chown opendkim "$CONF/opendkim.conf"
if [ "${MAILOPS_DKIM_SYSLOGD:-on}" = on ]; then busybox syslogd -n -s 0 -O /dev/stdout & fi
exec opendkim -f -x "$CONF/opendkim.conf"
