#!/usr/bin/env bash
# Local mail host: Dovecot (IMAP, POP3, LMTP, SASL), Postfix (SMTP in, submission, SMTPS), OpenDKIM
# (signs submitted and forwarded mail) and postsrsd (SRS for forwarded mail) from Debian's packages, run
# as plain processes on unprivileged ports. Domains, mailboxes, passwords, quotas, aliases, forwardings
# and the DKIM key and signing tables come straight from mailhost-service's PostgreSQL database, through a
# role that may only SELECT its views (see mailhost-service/README.md); the DKIM private keys are files
# mailhost-service writes into the key directory.
# Usage: infra/mailhost.sh start|stop|status|reload|logs
#   start   installs the packages when missing, (re)writes the configuration, starts the daemons and
#           the watchdog; when already running, reloads only if the configuration changed
#   reload  rewrites the configuration and reloads the daemons (new database connections too)
# Needs root: apt-get, and Postfix's master only starts as root.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
. "$ROOT/infra/pid-file.sh"
DATA_DIR=${MAILOPS_DATA_DIR:-$ROOT/.infra/data}
DIR=${MAILOPS_MAILHOST_DIR:-$ROOT/.infra/mailhost}
LISTEN=${MAILOPS_MAILHOST_LISTEN:-127.0.0.1}
HOSTNAME_=${MAILOPS_MAILHOST_HOSTNAME:-mail.mailops.local}
RELAYHOST=${MAILOPS_MAILHOST_RELAYHOST:-}
IMAP_PORT=${MAILOPS_MAILHOST_IMAP_PORT:-10143}
IMAPS_PORT=${MAILOPS_MAILHOST_IMAPS_PORT:-10993}
POP3_PORT=${MAILOPS_MAILHOST_POP3_PORT:-10110}
POP3S_PORT=${MAILOPS_MAILHOST_POP3S_PORT:-10995}
SMTP_PORT=${MAILOPS_MAILHOST_SMTP_PORT:-10025}
SUBMISSION_PORT=${MAILOPS_MAILHOST_SUBMISSION_PORT:-10587}
SMTPS_PORT=${MAILOPS_MAILHOST_SMTPS_PORT:-10465}
# Dovecot's doveadm HTTP API, with which mailhost-service removes a deleted mailbox's mail; the key is
# generated once into the data folder (never committed) and read by mailhost-service from there.
DOVEADM_PORT=${MAILOPS_MAILHOST_DOVEADM_PORT:-10425}
# Dovecot's delay before answering a failed login, and whether a failed login slows the next logins
# from the same address (anvil's penalty: 4 s after one failure, doubling up to 15 s, for 29 s).
# Tests that try wrong passwords on purpose set both off: MAILOPS_MAILHOST_AUTH_FAILURE_DELAY=0 and
# MAILOPS_MAILHOST_AUTH_PENALTY=off (the auth process then finds no anvil penalty socket; takes effect at
# start, not at reload).
AUTH_FAILURE_DELAY=${MAILOPS_MAILHOST_AUTH_FAILURE_DELAY:-2}  # seconds
AUTH_PENALTY=${MAILOPS_MAILHOST_AUTH_PENALTY:-on}
WATCH_INTERVAL=${MAILOPS_MAILHOST_WATCH_INTERVAL:-2}
# OpenDKIM, the milter that signs mail submitted by an authenticated user (submission and SMTPS only, never
# mail coming in on SMTP for local mailboxes). MAILOPS_MAILHOST_DKIM=off leaves it out (nothing signed: the
# bench's baseline). The key directory is where mailhost-service writes the keys (its
# mailhost.dkim.key-directory must be this path, and mailhost.dkim.key-file-group OpenDKIM's group).
DKIM=${MAILOPS_MAILHOST_DKIM:-on}
DKIM_PORT=${MAILOPS_MAILHOST_DKIM_PORT:-10891}
# OpenDKIM 2.11 signs every message with one algorithm, whatever the key: this must be the algorithm the
# keys are generated for (mailbox-service's MAILBOX_DKIM_ALGORITHM); an Ed25519 key under rsa-sha256 (or
# the other way round) makes every submission of its domain fail with 451.
DKIM_ALGORITHM=${MAILOPS_MAILHOST_DKIM_ALGORITHM:-rsa-sha256}
# Forwarded mail (a forwarding's external target): Postfix's SMTP client passes no milter, so such mail
# leaves the queue through the pipe transport "forward", which prepends X-Original-To (the forwarding
# address) and hands it with Debian's msmtp to a loopback-only smtpd on FORWARD_PORT. There a second
# OpenDKIM (DKIM_FORWARD_PORT) signs it by the X-Original-To domain, the forwarding domain, and postsrsd
# (SRS_PORT, reverse on SRS_PORT + 1) rewrites the envelope sender into SRS_DOMAIN, so receivers' SPF
# checks the forwarder and the message, no longer from an outside sender, goes out directly.
FORWARD_PORT=${MAILOPS_MAILHOST_FORWARD_PORT:-10026}
DKIM_FORWARD_PORT=${MAILOPS_MAILHOST_DKIM_FORWARD_PORT:-10892}
SRS_PORT=${MAILOPS_MAILHOST_SRS_PORT:-10701}
SRS_DOMAIN=${MAILOPS_MAILHOST_SRS_DOMAIN:-$HOSTNAME_}
# Dovecot's own metrics (logins, deliveries) in OpenMetrics form at http://$LISTEN:<port>/metrics.
STATS_PORT=${MAILOPS_MAILHOST_STATS_PORT:-10900}

PG_HOST=${MAILOPS_PG_HOST:-127.0.0.1}
PG_PORT=${MAILOPS_PG_PORT:-15432}
PG_USER=${MAILOPS_PG_USER:-mailops}
SUPERUSER_PASSWORD=${MAILOPS_PG_SUPERUSER_PASSWORD:-postgres}
DB=${MAILOPS_MAILHOST_DB:-mailhost}
READER=${MAILOPS_MAILHOST_DB_READER:-${DB}_reader}
READER_PASSWORD_FILE=$DATA_DIR/$READER-password
DOVEADM_KEY_FILE=$DATA_DIR/$DB-doveadm-api-key

CONF=$DIR/conf
DOVECOT_CONF=$CONF/dovecot/dovecot.conf
POSTFIX_CONF=$CONF/postfix
RUN=$DIR/run/dovecot
MAIL_ROOT=$DIR/mail
LOG_DIR=$DIR/log
WATCHDOG_PID=$DIR/watchdog.pid
DKIM_KEY_DIR=${MAILOPS_MAILHOST_DKIM_KEY_DIR:-$DIR/dkim-keys}
OPENDKIM_CONF=$CONF/opendkim/opendkim.conf
OPENDKIM_FORWARD_CONF=$CONF/opendkim/opendkim-forward.conf
OPENDKIM_RUN=$DIR/run/opendkim
OPENDKIM_USER=opendkim
POSTSRSD_PID=$DIR/run/postsrsd.pid
POSTSRSD_USER=postsrsd
SRS_SECRET_FILE=$DATA_DIR/$DB-srs-secret
INSTANCE=mailops-$(printf %s "$DIR" | sha256sum | cut -c1-8)
VMAIL=vmail
# procps: pgrep, with which the watchdog finds an OpenDKIM whose pid file it lost (opendkim_pid).
PACKAGES=(dovecot-imapd dovecot-pop3d dovecot-lmtpd dovecot-pgsql postfix postfix-pgsql opendkim libopendbx1-pgsql
  postsrsd msmtp procps)

log() { echo "mailhost: $*"; }
die() { echo "mailhost: ERROR: $*" >&2; exit 1; }

[[ $(id -u) == 0 ]] || die "needs root (apt-get, and Postfix starts only as root)"

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

missing_packages() { local p; for p in "${PACKAGES[@]}"; do installed "$p" || echo "$p"; done; }

ensure_packages() {
  local missing
  # All installed: nothing to wait for (the lock below is held by whichever script installs).
  [[ -z $(missing_packages) ]] && return
  # One package installer at a time (.ci/run installs in the background while tests start mail hosts);
  # closed before any daemon starts, so none inherits the lock.
  mkdir -p "$ROOT/.infra" && exec 8>"$ROOT/.infra/packages.lock" && flock 8
  mapfile -t missing < <(missing_packages)
  if ((${#missing[@]} > 0)); then
    install_packages "${missing[@]}"
  fi
  exec 8>&-
}

install_packages() {
  local missing=("$@")
  log "installing ${missing[*]} (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  echo 'postfix postfix/main_mailer_type select No configuration' | debconf-set-selections
  if ! apt-get install -y -q --no-install-recommends "${missing[@]}" >"$DIR/apt.log" 2>&1; then
    apt-get update -q >>"$DIR/apt.log" 2>&1 || true
    apt-get install -y -q --no-install-recommends "${missing[@]}" >>"$DIR/apt.log" 2>&1 ||
      { tail -n 20 "$DIR/apt.log" >&2; die "apt-get install failed (log: $DIR/apt.log)"; }
  fi
  # Where systemd runs, the packages start the system's own instances on the standard ports.
  if [[ -d /run/systemd/system ]]; then
    systemctl disable --now dovecot postfix opendkim postsrsd >/dev/null 2>&1 || true
  fi
}

# The owner of every maildir: one system user for all virtual mailboxes.
ensure_vmail_user() {
  id -u "$VMAIL" >/dev/null 2>&1 ||
    useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$VMAIL"
}

# A random secret kept in a file of the data folder, generated on first use.
generated() {
  if [[ ! -s $1 ]]; then
    mkdir -p "$DATA_DIR"
    (umask 077 && head -c 24 /dev/urandom | base64 | tr -d '/+=\n' >"$1")
  fi
  cat "$1"
}
secret() { generated "$READER_PASSWORD_FILE"; }

as_superuser() {
  PGPASSWORD=$SUPERUSER_PASSWORD psql -X -q -v ON_ERROR_STOP=1 -h "$PG_HOST" -p "$PG_PORT" -U postgres "$@"
}

# The read-only role, its password, and its SELECT grants. The role is created here (the services' own
# role may not create roles) with the password kept beside the other secrets; the grants are listed
# once, in mailhost-service's migration (function mail_host_grant_reader), and applied by whichever of
# the two comes second: the migration when the role exists already, else this script.
ensure_reader() {
  as_superuser -d postgres -v reader="$READER" -v password="$(secret)" -v db="$DB" -v owner="$PG_USER" >/dev/null <<'SQL' ||
SELECT format('CREATE ROLE %I LOGIN', :'reader')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'reader') \gexec
SELECT format('ALTER ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD %L', :'reader', :'password') \gexec
SELECT format('ALTER ROLE %I SET default_transaction_read_only = on', :'reader') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'owner')
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db') \gexec
SQL
    die "cannot reach PostgreSQL on $PG_HOST:$PG_PORT as its superuser (is infra/postgres.sh started?)"
  as_superuser -d "$DB" -v reader="$READER" >/dev/null <<'SQL'
SELECT format('SELECT mail_host_grant_reader(%L)', :'reader')
 WHERE to_regprocedure('mail_host_grant_reader(name)') IS NOT NULL \gexec
SQL
  if [[ -z $(as_superuser -d "$DB" -Atc "SELECT 1 WHERE to_regclass('dovecot_passdb') IS NOT NULL") ]]; then
    log "database '$DB' has no mail host schema yet (mailhost-service migrates it); logins fail until then"
  fi
}

ensure_certificate() {
  local tls=$CONF/tls
  mkdir -p "$tls"
  if [[ -s $tls/cert.pem && -s $tls/key.pem ]] &&
    openssl x509 -in "$tls/cert.pem" -noout -subject 2>/dev/null | grep -q "CN *= *$HOSTNAME_\$" &&
    openssl x509 -in "$tls/cert.pem" -noout -checkend 86400 >/dev/null; then
    return
  fi
  log "generating a self-signed certificate for $HOSTNAME_"
  (umask 077 && openssl req -x509 -newkey rsa:2048 -nodes -days 825 -subj "/CN=$HOSTNAME_" \
    -addext "subjectAltName=DNS:$HOSTNAME_,DNS:localhost,IP:127.0.0.1" \
    -keyout "$tls/key.pem" -out "$tls/cert.pem" >/dev/null 2>&1) || die "openssl req failed"
  chmod 644 "$tls/cert.pem"
}

write_dovecot_config() {
  local password penalty_mode=0600
  password=$(secret)
  generated "$DOVEADM_KEY_FILE" >/dev/null
  mkdir -p "$CONF/dovecot" "$RUN" "$DIR/state/dovecot" "$LOG_DIR" "$MAIL_ROOT"
  chown "$VMAIL:$VMAIL" "$MAIL_ROOT"
  [[ $AUTH_PENALTY == off ]] && penalty_mode=0
  cat >"$DOVECOT_CONF" <<EOF
# Generated by infra/mailhost.sh; edit the script, not this file.
instance_name = $INSTANCE
base_dir = $RUN
state_dir = $DIR/state/dovecot
log_path = $LOG_DIR/dovecot.log
info_log_path = $LOG_DIR/dovecot.log
protocols = imap pop3 lmtp
listen = $LISTEN
hostname = $HOSTNAME_
default_internal_user = dovecot
default_login_user = dovenull

ssl = yes
ssl_cert = <$CONF/tls/cert.pem
ssl_key = <$CONF/tls/key.pem
ssl_min_protocol = TLSv1.2
# Passwords only over TLS (Dovecot counts connections from the host itself as secured too).
disable_plaintext_auth = yes
auth_mechanisms = plain login

# No auth cache: a changed password or a deleted mailbox takes effect at the next login.
auth_cache_size = 0
auth_failure_delay = ${AUTH_FAILURE_DELAY}s

passdb {
  driver = sql
  args = $CONF/dovecot/sql.conf.ext
}
userdb {
  driver = sql
  args = $CONF/dovecot/sql.conf.ext
}

mail_uid = $VMAIL
mail_gid = $VMAIL
first_valid_uid = $(id -u "$VMAIL")
first_valid_gid = $(id -g "$VMAIL")
mail_location = maildir:~/Maildir
mail_plugins = \$mail_plugins quota

plugin {
  quota = count:User quota
  quota_vsizes = yes
}

protocol imap {
  mail_plugins = \$mail_plugins imap_quota
}
protocol lmtp {
  postmaster_address = postmaster@$HOSTNAME_
}

# mailhost-service removes a deleted mailbox's mail through this API (expunge, mailbox delete).
doveadm_api_key = <$DOVEADM_KEY_FILE
service doveadm {
  inet_listener http {
    port = $DOVEADM_PORT
  }
}

service imap-login {
  inet_listener imap {
    port = $IMAP_PORT
  }
  inet_listener imaps {
    port = $IMAPS_PORT
    ssl = yes
  }
}
service pop3-login {
  inet_listener pop3 {
    port = $POP3_PORT
  }
  inet_listener pop3s {
    port = $POP3S_PORT
    ssl = yes
  }
}
# Postfix hands mail over here (virtual_transport) and authenticates submission here (SASL).
service lmtp {
  unix_listener lmtp {
    user = postfix
    group = postfix
    mode = 0600
  }
}
service anvil {
  unix_listener anvil-auth-penalty {
    mode = $penalty_mode
  }
}
service auth {
  unix_listener auth-postfix {
    user = postfix
    group = postfix
    mode = 0600
  }
  unix_listener auth-userdb {
    user = $VMAIL
    group = $VMAIL
    mode = 0600
  }
}

# Metrics for the dashboard (deploy/grafana): logins (IMAP, POP3 and SMTP AUTH) by outcome, and LMTP
# deliveries, as dovecot_<metric>_total at http://$LISTEN:$STATS_PORT/metrics.
metric auth_success {
  filter = event=auth_request_finished AND success=yes
}
metric auth_failure {
  filter = event=auth_request_finished AND NOT success=yes
}
metric mail_delivery {
  filter = event=mail_delivery_finished
}
service stats {
  inet_listener http {
    port = $STATS_PORT
  }
}
EOF
  (umask 027 && cat >"$CONF/dovecot/sql.conf.ext" <<EOF
# Generated by infra/mailhost.sh; edit the script, not this file.
driver = pgsql
connect = host=$PG_HOST port=$PG_PORT dbname=$DB user=$READER password=$password connect_timeout=3
default_pass_scheme = ARGON2ID
password_query = SELECT username AS user, password FROM mail_host_passdb('%Lu')
user_query = SELECT '$MAIL_ROOT/' || maildir AS home, '*:bytes=' || quota_bytes AS quota_rule \\
  FROM mail_host_userdb('%Lu')
iterate_query = SELECT address AS user FROM dovecot_userdb
EOF
  )
  chown root:dovecot "$CONF/dovecot/sql.conf.ext"
  chmod 640 "$CONF/dovecot/sql.conf.ext"
}

write_postfix_config() {
  local password transport
  password=$(secret)
  mkdir -p "$POSTFIX_CONF" "$DIR/postfix-spool" "$DIR/postfix-data" "$LOG_DIR"
  chown postfix:postfix "$DIR/postfix-data"
  if [[ -n $RELAYHOST ]]; then transport=smtp; else transport="error:5.7.1 outbound delivery is off on this mail host"; fi
  # Submission and SMTPS hand every message to OpenDKIM; while it does not answer they refuse with 451
  # (tempfail): the client keeps the message and retries, rather than the host sending it unsigned.
  local milter="" forward_milter=""
  if [[ $DKIM == on ]]; then
    milter="
  -o smtpd_milters=inet:127.0.0.1:$DKIM_PORT
  -o milter_default_action=tempfail"
    forward_milter="
  -o smtpd_milters=inet:127.0.0.1:$DKIM_FORWARD_PORT
  -o milter_default_action=tempfail"
  fi
  cat >"$POSTFIX_CONF/main.cf" <<EOF
# Generated by infra/mailhost.sh; edit the script, not this file.
compatibility_level = 3.6
queue_directory = $DIR/postfix-spool
data_directory = $DIR/postfix-data
maillog_file = $LOG_DIR/postfix.log
maillog_file_prefixes = /var, /dev/stdout, $LOG_DIR
myhostname = $HOSTNAME_
myorigin = \$myhostname
inet_interfaces = $LISTEN
inet_protocols = ipv4
biff = no
append_dot_mydomain = no
smtputf8_enable = no

# Nothing is delivered locally; every domain is virtual and read from PostgreSQL.
mydestination =
local_recipient_maps =
local_transport = error:5.1.1 no local delivery on this mail host
alias_maps =
alias_database =
mynetworks = 127.0.0.1/32
virtual_mailbox_domains = pgsql:$POSTFIX_CONF/pgsql-domains.cf
virtual_mailbox_maps = pgsql:$POSTFIX_CONF/pgsql-mailboxes.cf
virtual_alias_maps = pgsql:$POSTFIX_CONF/pgsql-aliases.cf
virtual_transport = lmtp:unix:$RUN/lmtp

# Outbound: off unless a relay host is configured.
relayhost = $RELAYHOST
default_transport = $transport
# Forwarded mail: an outside address's mail that alias expansion sends to an outside address takes the
# "forward" transport (master.cf), which re-injects it, one recipient at a time (its X-Original-To names
# the forwarding address), into the signing smtpd. Mail from a hosted domain (submitted, signed already)
# and mail whose sender that smtpd rewrote into the SRS domain go out directly.
sender_dependent_default_transport_maps = pgsql:$POSTFIX_CONF/pgsql-forward-senders.cf
forward_destination_recipient_limit = 1
# Bounces of forwarded mail come back to its SRS sender: the SRS domain is a domain of addresses that are
# only rewritten (nothing is delivered there), and recipient_canonical_maps turns an SRS0/SRS1 address of
# that domain back into the original sender through postsrsd's reverse table, which checks the hash and
# the time stamp; the result is delivered (a hosted mailbox) or relayed. Any other address there, and a
# forged one, is an unknown recipient (550): the SRS domain relays nothing else. Other domains' addresses
# never reach postsrsd (the regexp table passes on only the SRS domain's).
virtual_alias_domains = $SRS_DOMAIN
recipient_canonical_maps = pipemap:{regexp:$POSTFIX_CONF/srs-recipients.regexp, tcp:127.0.0.1:$((SRS_PORT + 1))}
recipient_canonical_classes = envelope_recipient

smtpd_banner = \$myhostname ESMTP
smtpd_tls_cert_file = $CONF/tls/cert.pem
smtpd_tls_key_file = $CONF/tls/key.pem
smtpd_tls_security_level = may
smtpd_tls_auth_only = yes
smtp_tls_security_level = may
smtpd_sasl_type = dovecot
smtpd_sasl_path = $RUN/auth-postfix
smtpd_sasl_auth_enable = no
smtpd_relay_restrictions = permit_sasl_authenticated, reject_unauth_destination
smtpd_recipient_restrictions = reject_unlisted_recipient
# Who may send as which address: submission and SMTPS refuse an envelope sender that is not the
# login's own address or one of its aliases (reject_sender_login_mismatch in master.cf).
smtpd_sender_login_maps = pgsql:$POSTFIX_CONF/pgsql-sender-logins.cf
EOF
  cat >"$POSTFIX_CONF/master.cf" <<EOF
# Generated by infra/mailhost.sh; edit the script, not this file. No service runs chrooted.
# service type  private unpriv  chroot  wakeup  maxproc command + args
$LISTEN:$SMTP_PORT inet n - n - - smtpd
$LISTEN:$SUBMISSION_PORT inet n - n - - smtpd
  -o syslog_name=postfix/submission
  -o smtpd_tls_security_level=encrypt
  -o smtpd_sasl_auth_enable=yes
  -o smtpd_client_restrictions=permit_sasl_authenticated,reject
  -o smtpd_sender_restrictions=reject_sender_login_mismatch
  -o smtpd_relay_restrictions=permit_sasl_authenticated,reject$milter
$LISTEN:$SMTPS_PORT inet n - n - - smtpd
  -o syslog_name=postfix/smtps
  -o smtpd_tls_wrappermode=yes
  -o smtpd_sasl_auth_enable=yes
  -o smtpd_client_restrictions=permit_sasl_authenticated,reject
  -o smtpd_sender_restrictions=reject_sender_login_mismatch
  -o smtpd_relay_restrictions=permit_sasl_authenticated,reject$milter
# The forward route: re-injection of forwarded mail (loopback only), signed by the forwarding domain
# (OpenDKIM's second instance), the envelope sender rewritten by postsrsd in its own cleanup.
127.0.0.1:$FORWARD_PORT inet n - n - - smtpd
  -o syslog_name=postfix/forward
  -o smtpd_client_restrictions=permit_mynetworks,reject
  -o smtpd_relay_restrictions=permit_mynetworks,reject
  -o smtpd_recipient_restrictions=
  -o cleanup_service_name=forwardcleanup$forward_milter
forwardcleanup unix n - n - 0 cleanup
  -o sender_canonical_maps=tcp:127.0.0.1:$SRS_PORT
  -o sender_canonical_classes=envelope_sender
forward   unix  -       n       n       -       -       pipe
  flags=Oq user=nobody argv=/usr/bin/msmtp --host=127.0.0.1 --port=$FORWARD_PORT --auth=off --tls=off
  --domain=$HOSTNAME_ -f \${sender} -- \${recipient}
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
proxywrite unix -       -       n       -       1       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
lmtp      unix  -       -       n       -       -       lmtp
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
EOF
  pgsql_map domains "SELECT domain FROM mail_host_domain('%s')" "$password"
  pgsql_map mailboxes "SELECT maildir FROM mail_host_mailbox('%s')" "$password"
  # Several rows (a forwarding's targets, plus the address itself when a copy is kept) come back comma-joined.
  pgsql_map aliases "SELECT target FROM mail_host_alias_targets('%s')" "$password"
  # The login that may send as an address (smtpd_sender_login_maps).
  pgsql_map sender-logins "SELECT login FROM mail_host_sender_logins('%s')" "$password"
  # The senders whose mail to an outside address is forwarded mail (sender_dependent_default_transport_maps):
  # any but a hosted domain's and the SRS domain's. Keys that are no address (the null sender) are not looked up.
  # The SRS domain's SRS0/SRS1 addresses, passed on unchanged to postsrsd's reverse table (case-insensitive).
  printf '# Generated by infra/mailhost.sh; edit the script, not this file.\n/^(srs[01][-+=][^@]+@%s)$/ $1\n' \
    "${SRS_DOMAIN//./\\.}" >"$POSTFIX_CONF/srs-recipients.regexp"
  pgsql_map forward-senders "SELECT 'forward:' WHERE lower('%d') <> lower('$SRS_DOMAIN')
  AND NOT EXISTS (SELECT 1 FROM mail_host_domain(lower('%d')))" "$password"
}

pgsql_map() {
  local file=$POSTFIX_CONF/pgsql-$1.cf
  (umask 027 && cat >"$file" <<EOF
# Generated by infra/mailhost.sh; edit the script, not this file.
hosts = inet:$PG_HOST:$PG_PORT
dbname = $DB
user = $READER
password = $3
query = $2
EOF
  )
  chown root:postfix "$file"
  chmod 640 "$file"
}

# OpenDKIM (RequireSafeKeys) refuses a key when any directory above it can be written by other users,
# and then answers every message 451: a checkout under /tmp is one. Refuse to start instead, saying why.
require_safe_key_path() {
  local dir
  dir=$(realpath "$DKIM_KEY_DIR")
  while :; do
    if [[ -n $(find "$dir" -maxdepth 0 -perm -o+w) ]]; then
      die "OpenDKIM would refuse the DKIM keys in $DKIM_KEY_DIR: other users can write to $dir. Keep the mail host's files elsewhere (MAILOPS_MAILHOST_DIR, or MAILOPS_MAILHOST_DKIM_KEY_DIR for the keys alone)"
    fi
    [[ $dir == / ]] && return
    dir=$(dirname "$dir")
  done
}

# OpenDKIM reads its KeyTable (key name -> domain, selector, key file) and SigningTable (domain -> key
# name) from mailhost-service's two views on every message, as the read-only role; the keys are the PEM
# files mailhost-service writes into the key directory (0640, group opendkim, in a 0750 directory). Two
# instances: one for submission and SMTPS, which signs by the From: domain, and one for the forward route,
# which signs by the domain of the X-Original-To the forward transport prepends (the forwarding address).
write_opendkim_config() {
  mkdir -p "$CONF/opendkim" "$OPENDKIM_RUN" "$LOG_DIR" "$DKIM_KEY_DIR"
  require_safe_key_path
  chown "$OPENDKIM_USER:$OPENDKIM_USER" "$OPENDKIM_RUN"
  chgrp "$OPENDKIM_USER" "$DKIM_KEY_DIR"
  chmod 0750 "$DKIM_KEY_DIR"
  write_opendkim_instance "$OPENDKIM_CONF" opendkim "$DKIM_PORT" ""
  # The topmost X-Original-To is the one the forward transport prepended; OpenDKIM reads the first.
  write_opendkim_instance "$OPENDKIM_FORWARD_CONF" opendkim-forward "$DKIM_FORWARD_PORT" "SenderHeaders           X-Original-To"
}

write_opendkim_instance() {
  local file=$1 name=$2 port=$3 sender_headers=$4 password dsn
  password=$(secret)
  dsn="dsn:pgsql://$READER:$password@$PG_PORT+$PG_HOST/$DB"
  (umask 027 && cat >"$file" <<END
# Generated by infra/mailhost.sh; edit the script, not this file.
Mode                    s
Background              yes
PidFile                 $OPENDKIM_RUN/$name.pid
Socket                  inet:$port@127.0.0.1
UserID                  $OPENDKIM_USER:$OPENDKIM_USER
UMask                   007
Syslog                  yes
SyslogSuccess           yes
SignatureAlgorithm      $DKIM_ALGORITHM
Canonicalization        relaxed/relaxed
OversignHeaders         From
# Postfix hands OpenDKIM only what it must sign (submission and SMTPS: authenticated users; the forward
# route: loopback only), so every client it sees counts as internal; the SigningTable decides by the
# sender's domain (From:, or the header named below).
InternalHosts           0.0.0.0/0
$sender_headers
SubDomains              no
# A key file must be readable by its owner and OpenDKIM's group only, and no directory above it writable
# by others (so not below /tmp).
RequireSafeKeys         yes
KeyTable                $dsn/table=opendkim_key_table?keycol=key_name?datacol=domain,selector,key_path
SigningTable            $dsn/table=opendkim_signing_table?keycol=domain?datacol=key_name
END
  )
  chown "root:$OPENDKIM_USER" "$file"
  chmod 640 "$file"
}

# postsrsd's secret (its SRS addresses' hashes), generated once beside the other secrets.
ensure_srs_secret() {
  generated "$SRS_SECRET_FILE" >/dev/null
  chown "root:$POSTSRSD_USER" "$SRS_SECRET_FILE"
  chmod 640 "$SRS_SECRET_FILE"
}

write_config() {
  ensure_certificate
  write_dovecot_config
  write_postfix_config
  ensure_srs_secret
  if [[ $DKIM == on ]]; then write_opendkim_config; fi
}

# A fingerprint of the generated configuration, to reload a running mail host only when it changed.
config_sum() {
  [[ -d $CONF ]] || { echo none; return; }
  find "$CONF" -type f -print0 | sort -z | xargs -0 -r cat | sha256sum | cut -c1-16
}

dovecot_pid() { pid_from_file "$RUN/master.pid" dovecot; }
postfix_running() { [[ -f $POSTFIX_CONF/main.cf ]] && postfix -c "$POSTFIX_CONF" status >/dev/null 2>&1; }
# OpenDKIM's instances: "opendkim" (submission, SMTPS) and "opendkim-forward" (the forward route).
# The pid in the instance's pid file; else an opendkim running with the instance's configuration, which is
# then written back into the pid file. A start while the instance runs (the watchdog asking between the
# instance's start and its pid file, or a pid file removed) cannot bind the port the instance holds, but
# writes its own pid over the instance's before it exits: without this the watchdog started another
# every round, and its reloads never reached the instance that kept serving, which then failed every
# lookup on the connection it had opened before mailhost-service made its views (451 on submission).
opendkim_pid() {
  local instance=${1:-opendkim} pid
  pid_from_file "$OPENDKIM_RUN/$instance.pid" opendkim && return 0
  pid=$(pgrep -o -f -x "opendkim -x $(regex_quoted "$CONF/opendkim/$instance.conf")") || return 1
  echo "$pid" 2>/dev/null >"$OPENDKIM_RUN/$instance.pid"
  echo "$pid"
}
regex_quoted() { sed 's/[][\\.*^$+?(){}|]/\\&/g' <<<"$1"; }
opendkim_instances() { [[ $DKIM == on ]] && echo opendkim opendkim-forward; return 0; }
postsrsd_pid() { pid_from_file "$POSTSRSD_PID" postsrsd; }
# Whether every daemon that should run does (OpenDKIM only with MAILOPS_MAILHOST_DKIM=on).
daemons_running() {
  local instance
  dovecot_pid >/dev/null && postfix_running && postsrsd_pid >/dev/null || return 1
  for instance in $(opendkim_instances); do opendkim_pid "$instance" >/dev/null || return 1; done
}

watchdog_pid() { pid_from_file "$WATCHDOG_PID" 'mailhost.sh watch'; }

port_open() { timeout 1 bash -c "exec 3<>/dev/tcp/$LISTEN/$1" 2>/dev/null; }

wait_listening() {
  local port deadline=$((SECONDS + 20))
  local ports=("$IMAP_PORT" "$IMAPS_PORT" "$POP3_PORT" "$POP3S_PORT" "$SMTP_PORT" "$SUBMISSION_PORT" "$SMTPS_PORT" "$DOVEADM_PORT"
    "$FORWARD_PORT" "$SRS_PORT")
  [[ $DKIM == on ]] && ports+=("$DKIM_PORT" "$DKIM_FORWARD_PORT")
  for port in "${ports[@]}"; do
    until port_open "$port"; do
      ((SECONDS < deadline)) || { tail -n 20 "$LOG_DIR"/*.log >&2; die "nothing listens on $LISTEN:$port"; }
      sleep 0.1
    done
  done
}

start_dovecot() {
  dovecot_pid >/dev/null && return
  # With the penalty off anvil makes no penalty socket; a stale one would only log refused connections.
  [[ $AUTH_PENALTY == off ]] && rm -f "$RUN/anvil-auth-penalty"
  # Its own output goes to its log: the daemon keeps the descriptors it started with, and a caller
  # reading this script's output to the end would wait for it forever.
  dovecot -c "$DOVECOT_CONF" </dev/null >>"$LOG_DIR/dovecot.log" 2>&1 ||
    { tail -n 20 "$LOG_DIR/dovecot.log" >&2; die "dovecot did not start (log: $LOG_DIR/dovecot.log)"; }
}

start_postfix() {
  postfix_running && return
  # "postfix start" runs Postfix's integrity check itself; run it again only to show why it failed.
  postfix -c "$POSTFIX_CONF" start </dev/null >/dev/null 2>&1 || {
    postfix -c "$POSTFIX_CONF" check || die "postfix check failed (log: $LOG_DIR/postfix.log)"
    tail -n 20 "$LOG_DIR/postfix.log" >&2
    die "postfix did not start"
  }
}

start_opendkim() {
  local instance
  for instance in $(opendkim_instances); do
    opendkim_pid "$instance" >/dev/null && continue
    rm -f "$OPENDKIM_RUN/$instance.pid"
    # It logs to syslog (where there is one); what it prints when it cannot start goes to its log file.
    opendkim -x "$CONF/opendkim/$instance.conf" </dev/null >>"$LOG_DIR/$instance.log" 2>&1 ||
      { tail -n 20 "$LOG_DIR/$instance.log" >&2; die "$instance did not start (log: $LOG_DIR/$instance.log)"; }
  done
}

# Whatever MAILOPS_MAILHOST_DKIM says now: instances started earlier stop too. Fails when none ran.
# libmilter looks at its stop flag only every 5 s; OpenDKIM keeps no state and its one client, Postfix,
# stops first, so after a second's grace it is killed rather than waited for (5 s per instance).
stop_opendkim() {
  local pid pids=() instance
  for instance in opendkim opendkim-forward; do
    pid=$(opendkim_pid "$instance") && pids+=("$pid")
  done
  ((${#pids[@]})) || return 1
  stop_pids 1 "${pids[@]}"
}

# SIGTERM to each, then waits up to the grace in seconds for all; what is left then gets SIGKILL.
# A process that has exited but is not reaped yet (a zombie) is gone as far as its ports are concerned.
stop_pids() {
  local grace=$1 pid waiting
  shift
  kill "$@" 2>/dev/null || true
  for _ in $(seq $((grace * 20))); do
    waiting=""
    for pid in "$@"; do alive "$pid" && waiting=yes; done
    [[ -z $waiting ]] && return
    sleep 0.05
  done
  for pid in "$@"; do alive "$pid" && kill -KILL "$pid" 2>/dev/null; done
  return 0
}

alive() { kill -0 "$1" 2>/dev/null && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null; }

# postsrsd: the forward and reverse SRS lookup tables of Postfix (tcp:), on loopback only.
start_postsrsd() {
  postsrsd_pid >/dev/null && return
  rm -f "$POSTSRSD_PID"
  postsrsd -4 -l 127.0.0.1 -f "$SRS_PORT" -r "$((SRS_PORT + 1))" -d "$SRS_DOMAIN" -s "$SRS_SECRET_FILE" \
    -u "$POSTSRSD_USER" -p "$POSTSRSD_PID" -D </dev/null >>"$LOG_DIR/postsrsd.log" 2>&1 ||
    { tail -n 20 "$LOG_DIR/postsrsd.log" >&2; die "postsrsd did not start (log: $LOG_DIR/postsrsd.log)"; }
}

# PostgreSQL restarts: Postfix's pgsql tables mark a failed server dead for 60 s and keep answering
# 451, Dovecot fails the first login on its broken connection, and OpenDKIM's connection stays broken
# (every message 451) until it is reloaded. The watchdog notices a restart (the server's start time
# changes, or it answers again after it did not) or the DKIM views appearing, and reloads the daemons,
# which opens fresh connections at once; it also starts OpenDKIM again when it died.
watch() {
  local last="" now instance instances
  instances=$(opendkim_instances)
  # A psql that died before the shell reaped it leaves a pipe without a reader: writing to it must fail
  # the question, not end the watchdog.
  trap '' PIPE
  while true; do
    watch_query
    if [[ -n $last && $now != "$last" && $now != down ]]; then
      log "$(date -Is) PostgreSQL restarted or the DKIM views appeared ($last -> $now); reloading the daemons"
      reload_daemons
    fi
    # OpenDKIM and postsrsd have no master process to bring them back; submission, or the forward
    # route, answers 451 meanwhile (the mail waits in the client's or Postfix's queue).
    for instance in $instances; do
      if ! opendkim_pid "$instance" >/dev/null; then
        log "$(date -Is) $instance is not running; starting it"
        start_opendkim || true
      fi
    done
    if ! postsrsd_pid >/dev/null; then
      log "$(date -Is) postsrsd is not running; starting it"
      start_postsrsd || true
    fi
    last=$now
    sleep "$WATCH_INTERVAL"
  done
}

# Sets now to the server's start time and whether OpenDKIM's views are there (OpenDKIM's OpenDBX
# connection, opened before mailhost-service created them, fails every lookup until it is reloaded), or
# to "down". One psql for all the questions, kept open: a new one every few seconds (a process, a backend
# and a password exchange each) cost an idle mail host a tenth of a core. It exits when the server goes
# away, and the next question opens another.
watch_query() {
  local to from
  if [[ -z ${WATCH_PSQL_PID:-} ]]; then
    coproc WATCH_PSQL { PGPASSWORD=$(secret) PGCONNECT_TIMEOUT=2 exec psql -X -At -q -h "$PG_HOST" -p "$PG_PORT" \
      -U "$READER" -d "$DB" 2>/dev/null; }
  fi
  # The shell drops these when it reaps an exited psql.
  to=${WATCH_PSQL[1]:-} from=${WATCH_PSQL[0]:-}
  if [[ -n $to && -n $from ]] &&
    printf '%s\n' "SELECT pg_postmaster_start_time() || ' dkim views: ' || (to_regclass('opendkim_key_table') IS NOT NULL
        AND to_regclass('opendkim_signing_table') IS NOT NULL);" 2>/dev/null >&"$to" &&
    read -r -t 3 now 2>/dev/null <&"$from" && [[ -n $now ]]; then
    return 0
  fi
  # Lost, or no answer within 3 s: the next question opens a new connection.
  now=down
  if [[ -n ${WATCH_PSQL_PID:-} ]]; then
    kill "$WATCH_PSQL_PID" 2>/dev/null || true
    wait "$WATCH_PSQL_PID" 2>/dev/null || true
  fi
  unset WATCH_PSQL_PID
}

start_watchdog() {
  watchdog_pid >/dev/null && return
  setsid nohup "$0" watch >>"$LOG_DIR/watchdog.log" 2>&1 </dev/null &
  echo $! >"$WATCHDOG_PID"
}

reload_daemons() {
  local pid
  dovecot_pid >/dev/null && doveadm -c "$DOVECOT_CONF" reload
  postfix_running && postfix -c "$POSTFIX_CONF" reload >/dev/null 2>&1
  # SIGUSR1 makes OpenDKIM read its configuration again (and open its data sets anew).
  local instance
  for instance in opendkim opendkim-forward; do
    if pid=$(opendkim_pid "$instance"); then kill -USR1 "$pid" 2>/dev/null; fi
  done
  return 0
}

print_ports() {
  log "IMAP $LISTEN:$IMAP_PORT (STARTTLS), IMAPS $IMAPS_PORT, POP3 $POP3_PORT (STARTTLS), POP3S $POP3S_PORT,"
  log "SMTP in $SMTP_PORT, submission $SUBMISSION_PORT (STARTTLS + AUTH), SMTPS $SMTPS_PORT; database '$DB' as '$READER'"
  log "doveadm HTTP API $LISTEN:$DOVEADM_PORT (key in $DOVEADM_KEY_FILE)"
  if [[ $DKIM == on ]]; then
    log "OpenDKIM inet:127.0.0.1:$DKIM_PORT ($DKIM_ALGORITHM) on submission and SMTPS, inet:127.0.0.1:$DKIM_FORWARD_PORT on"
    log "  forwarded mail (re-injected on 127.0.0.1:$FORWARD_PORT); DKIM key directory $DKIM_KEY_DIR"
    log "  (mailhost-service: MAILHOST_DKIM_KEY_DIRECTORY=$DKIM_KEY_DIR MAILHOST_DKIM_KEY_FILE_GROUP=$OPENDKIM_USER)"
  else
    log "DKIM signing off (MAILOPS_MAILHOST_DKIM=off)"
  fi
  log "forwarded mail: envelope sender rewritten into $SRS_DOMAIN by postsrsd on 127.0.0.1:$SRS_PORT"
}

start() {
  mkdir -p "$DIR" "$LOG_DIR"
  ensure_packages
  ensure_vmail_user
  ensure_reader
  local before after
  before=$(config_sum)
  write_config
  after=$(config_sum)
  if daemons_running; then
    if [[ $before != "$after" ]]; then
      log "configuration changed; reloading"
      reload_daemons
    fi
    start_watchdog
    log "already running"
    print_ports
    return
  fi
  start_opendkim
  start_postsrsd
  start_dovecot
  start_postfix
  # A daemon that was running already (another one had died) must not keep an older configuration.
  if [[ $before != "$after" ]]; then reload_daemons; fi
  start_watchdog
  wait_listening
  log "running (Dovecot $(dovecot --version | cut -d' ' -f1), Postfix $(postconf -c "$POSTFIX_CONF" -h mail_version)$(
    [[ $DKIM == on ]] && echo ", OpenDKIM $(opendkim -V | head -1 | awk '{print $NF}')")), files: $DIR"
  print_ports
}

stop() {
  local pid stopped=""
  if pid=$(watchdog_pid); then kill "$pid" 2>/dev/null || true; rm -f "$WATCHDOG_PID"; fi
  if postfix_running; then postfix -c "$POSTFIX_CONF" stop >/dev/null 2>&1 || true; stopped=yes; fi
  if stop_opendkim; then stopped=yes; fi
  local daemons=()
  if pid=$(postsrsd_pid); then daemons+=("$pid"); fi
  if pid=$(dovecot_pid); then daemons+=("$pid"); fi
  if ((${#daemons[@]})); then stop_pids 5 "${daemons[@]}"; stopped=yes; fi
  if [[ -n $stopped ]]; then log "stopped"; else log "not running"; fi
}

status() {
  local rc=0 pid
  if pid=$(dovecot_pid); then log "dovecot running (pid $pid)"; else log "dovecot not running"; rc=3; fi
  if postfix_running; then log "postfix running"; else log "postfix not running"; rc=3; fi
  local instance
  for instance in opendkim opendkim-forward; do
    if pid=$(opendkim_pid "$instance"); then log "$instance running (pid $pid)"
    elif [[ $DKIM == on ]]; then log "$instance not running"; rc=3
    else log "$instance off (MAILOPS_MAILHOST_DKIM=off)"; fi
  done
  if pid=$(postsrsd_pid); then log "postsrsd running (pid $pid)"; else log "postsrsd not running"; rc=3; fi
  if pid=$(watchdog_pid); then log "watchdog running (pid $pid)"; else log "watchdog not running"; rc=3; fi
  ((rc == 0)) && print_ports
  return "$rc"
}

reload() {
  if ! daemons_running; then
    log "not running; nothing to reload (infra/mailhost.sh start)"
    return
  fi
  ensure_reader
  write_config
  reload_daemons
  log "reloaded"
}

case ${1:-} in
  start) start ;;
  stop) stop ;;
  status) status ;;
  reload) reload ;;
  watch) watch ;;
  logs) mkdir -p "$LOG_DIR"; touch "$LOG_DIR/dovecot.log" "$LOG_DIR/postfix.log" "$LOG_DIR/opendkim.log" "$LOG_DIR/opendkim-forward.log"; exec tail -n 100 -F "$LOG_DIR"/*.log ;;
  *) echo "usage: $0 start|stop|status|reload|logs" >&2; exit 2 ;;
esac
