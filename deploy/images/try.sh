#!/usr/bin/env bash
# Runs the mail host as deploy/ ships it (the entrypoints of images/dovecot, images/postfix and
# images/opendkim, the configuration of kubernetes/mailhost/, Debian's prometheus-postfix-exporter) on this machine, without
# Docker: in a network and mount namespace of its own, as a pod would, against a database of its own on
# the local PostgreSQL. Then it drives it and checks logins, delivery over LMTP on TCP, submission over
# SASL on TCP, refusals, quota, the doveadm API, the metrics, and DKIM: submitted mail signed by OpenDKIM
# with the key of the KeyTable and SigningTable views (verified by python3-dkim, not OpenDKIM), mail
# coming in on SMTP not signed, and forwarded mail, received by a relay host of its own (Debian's
# python3-aiosmtpd), signed by OpenDKIM's forward instance with the forwarding domain's key, its envelope
# sender rewritten by postsrsd, and a bounce to that SRS sender relayed back to the original sender (a
# forged SRS address refused). Everything it starts and creates is gone afterwards. Needs root, Debian's
# dovecot/postfix/opendkim packages (infra/mailhost.sh installs them), python3-dkim and infra/postgres.sh's
# PostgreSQL. Exit status 0 when every check passed.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
DATA_DIR=${MAILOPS_DATA_DIR:-$ROOT/.infra/data}
PG_PORT=${MAILOPS_PG_PORT:-15432}
PG_SOCKET=${MAILOPS_PG_SOCKET:-$DATA_DIR/postgres/.s.PGSQL.$PG_PORT}
SUPERUSER_PASSWORD=${MAILOPS_PG_SUPERUSER_PASSWORD:-postgres}
DB=mailhost_deploytry
PASSWORD='Try-Pass-4711'

die() { echo "try: ERROR: $*" >&2; exit 2; }
[[ $(id -u) == 0 ]] || die "needs root (namespaces, Postfix)"
[[ -S $PG_SOCKET ]] || die "no PostgreSQL socket at $PG_SOCKET (infra/postgres.sh start)"
for tool in dovecot postfix doveadm opendkim postsrsd msmtp unshare python3 curl openssl psql; do
  command -v "$tool" >/dev/null || die "$tool is missing (infra/mailhost.sh start installs Dovecot, Postfix and OpenDKIM)"
done
need_package() { # installed with apt-get when missing
  dpkg -s "$1" >/dev/null 2>&1 && return
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$1" >/dev/null 2>&1 ||
    { apt-get update -q >/dev/null 2>&1; DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
      "$1" >/dev/null 2>&1; } || die "cannot install $1"
}
need_package prometheus-postfix-exporter
need_package libopendbx1-pgsql
need_package python3-dkim
need_package python3-aiosmtpd

WORK=$(mktemp -d /tmp/mailops-deploy-try.XXXXXX)
pg() { PGPASSWORD=$SUPERUSER_PASSWORD psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres "$@"; }
cleanup() {
  pg -d postgres -c "DROP DATABASE IF EXISTS $DB" -c "DROP ROLE IF EXISTS ${DB}_reader" >/dev/null 2>&1
  rm -rf "$WORK"
}
trap cleanup EXIT
cleanup_db_only() { pg -d postgres -c "DROP DATABASE IF EXISTS $DB" -c "DROP ROLE IF EXISTS ${DB}_reader" >/dev/null 2>&1; }
cleanup_db_only
mkdir -p "$WORK"
head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$WORK/reader-password"

# The database as mailhost-service's migration makes it, with one domain, two mailboxes and an alias.
pg -d postgres -c "CREATE DATABASE $DB" -c "CREATE ROLE ${DB}_reader LOGIN PASSWORD '$(cat "$WORK/reader-password")'" >/dev/null ||
  die "cannot create the database $DB"
for migration in "$ROOT"/mailhost-service/src/main/resources/db/migration/V*.sql; do
  pg -d "$DB" -f "$migration" >/dev/null || die "migration $migration failed"
done
hash=$(doveadm pw -s ARGON2ID -p "$PASSWORD")
pg -d "$DB" >/dev/null <<SQL || die "cannot write the test rows"
SELECT mail_host_grant_reader('${DB}_reader');
INSERT INTO mail_domain (domain, tenant_id, created_at) VALUES ('try.test', 't', now());
INSERT INTO mailbox (id, tenant_id, address, domain, quota_bytes, maildir, created_at, updated_at)
  VALUES ('11111111-1111-1111-1111-111111111111', 't', 'anna@try.test', 'try.test', 1073741824, 'try.test/anna', now(), now()),
         ('22222222-2222-2222-2222-222222222222', 't', 'bob@try.test', 'try.test', 1073741824, 'try.test/bob', now(), now()),
         ('55555555-5555-5555-5555-555555555555', 't', 'fwd@try.test', 'try.test', 1073741824, 'try.test/fwd', now(), now());
INSERT INTO forwarding (mailbox_id, target) VALUES ('55555555-5555-5555-5555-555555555555', 'out@outside.test');
INSERT INTO mailbox_credential (mailbox_id, password_hash, updated_at)
  VALUES ('11111111-1111-1111-1111-111111111111', '$hash', now());
INSERT INTO alias (address, mailbox_id, created_at) VALUES ('info@try.test', '11111111-1111-1111-1111-111111111111', now());
SQL
# try.test's DKIM keys as mailhost-service keeps them: mbo0001 active, mbo0002 published, and where the
# key writer put the active key's file (the pod writes it below, where the opendkim container reads it).
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$WORK/dkim.pem" 2>/dev/null || die "cannot make a DKIM key"
openssl pkey -in "$WORK/dkim.pem" -pubout -outform DER 2>/dev/null | base64 -w0 >"$WORK/dkim.pub"
printf 'v=DKIM1; k=rsa; p=%s' "$(cat "$WORK/dkim.pub")" >"$WORK/dkim.record"
KEY_ID=33333333-3333-3333-3333-333333333333
pg -d "$DB" >/dev/null <<SQL || die "cannot write the DKIM rows"
INSERT INTO dkim_private_key (key_id, domain, selector, algorithm, sealed_private_key, received_at)
  VALUES ('$KEY_ID', 'try.test', 'mbo0001', 'rsa-sha256', 'sealed', now()),
         ('44444444-4444-4444-4444-444444444444', 'try.test', 'mbo0002', 'rsa-sha256', 'sealed', now());
INSERT INTO dkim_selector (domain, selector, key_id, algorithm, record, state, generated_at, published_at, activated_at)
  VALUES ('try.test', 'mbo0001', '$KEY_ID', 'rsa-sha256', '$(cat "$WORK/dkim.record")', 'active', now(), now(), now()),
         ('try.test', 'mbo0002', '44444444-4444-4444-4444-444444444444', 'rsa-sha256', 'v=DKIM1; k=rsa; p=', 'published', now(), now(), null);
INSERT INTO dkim_key_file (key_id, path, written_at) VALUES ('$KEY_ID', '/srv/dkim/keys/$KEY_ID.pem', now());
SQL

# Inside the namespaces: PostgreSQL through its socket as if it were the host postgres:5432, the Secrets
# and ConfigMaps where the pods mount them, and both entrypoints started as the containers start them.
cat >"$WORK/forward.py" <<'PY'
import asyncio, sys
async def pipe(r, w):
    try:
        while data := await r.read(65536):
            w.write(data); await w.drain()
    finally:
        w.close()
async def handle(r, w):
    ur, uw = await asyncio.open_unix_connection(sys.argv[1])
    await asyncio.gather(pipe(r, uw), pipe(ur, w))
async def main():
    async with await asyncio.start_server(handle, '127.0.0.1', 5432) as server:
        await server.serve_forever()
asyncio.run(main())
PY
cat >"$WORK/pod.sh" <<'POD'
#!/bin/bash
set -u
W=$1 ROOT=$2 PG_SOCKET=$3 DB=$4 PASSWORD=$5 KEY_ID=$6
ip link set lo up
python3 "$W/forward.py" "$PG_SOCKET" &
mkdir -p "$W"/{etc-up,etc-work,log-up,log-work,spool,pflib,mail,dvlib,dkim}
mount -t overlay overlay -o "lowerdir=/etc,upperdir=$W/etc-up,workdir=$W/etc-work" /etc
mount -t overlay overlay -o "lowerdir=/var/log,upperdir=$W/log-up,workdir=$W/log-work" /var/log
mount -t tmpfs tmpfs /run
# A /dev of this namespace's own with the machine's device nodes, and a /dev/log whose lines (OpenDKIM's
# syslog) go to opendkim.out: the image's busybox syslogd does that in the pod; this machine's /dev stays as it is.
mkdir -p "$W/dev" && mount -t tmpfs tmpfs "$W/dev"
for node in null zero full random urandom tty; do touch "$W/dev/$node"; mount --bind "/dev/$node" "$W/dev/$node"; done
ln -s /proc/self/fd "$W/dev/fd"
mount --rbind "$W/dev" /dev
python3 -c 'import os, socket
log = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); log.bind("/dev/log"); os.chmod("/dev/log", 0o666)
while True: print(log.recv(65536).decode(errors="replace"), flush=True)' >"$W/opendkim.out" 2>&1 &
mkdir -p /var/spool/postfix /var/lib/postfix /var/mail /var/lib/dovecot
mount --bind "$W/spool" /var/spool/postfix
mount --bind "$W/pflib" /var/lib/postfix
mount --bind "$W/mail" /var/mail
mount --bind "$W/dvlib" /var/lib/dovecot
# The emptyDir the mailhost-service pod shares between mailhost-service and the opendkim container
# (writable by all, as Kubernetes makes it), below /srv: OpenDKIM refuses keys below /tmp, writable by all.
mount -t tmpfs -o mode=0755 tmpfs /srv
mkdir -m 0777 /srv/dkim
echo "127.0.0.1 dovecot postgres mailhost-dkim-milter mailhost-dkim-forward-milter" >>/etc/hosts
mkdir -p /etc/mailops/{dovecot,postfix,opendkim,tls,doveadm,db-reader}
cp "$ROOT"/deploy/kubernetes/mailhost/dovecot/* /etc/mailops/dovecot/
cp "$ROOT"/deploy/kubernetes/mailhost/postfix/* /etc/mailops/postfix/
cp "$ROOT"/deploy/kubernetes/mailhost/opendkim/* /etc/mailops/opendkim/
# The image's group mailhost (gid 185, mailhost-service's user), which OpenDKIM runs in.
getent group mailhost >/dev/null || groupadd --system --gid 185 mailhost 2>/dev/null || groupadd --system mailhost
# The one change for this machine: the image's vmail is uid and gid 5000, this machine's may differ.
id -u vmail >/dev/null 2>&1 || useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin vmail
sed -i "s/^first_valid_uid = 5000/first_valid_uid = $(id -u vmail)/; s/^first_valid_gid = 5000/first_valid_gid = $(id -g vmail)/" \
  /etc/mailops/dovecot/dovecot.conf
chown vmail:vmail /var/mail
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=mail.try.test -keyout /etc/mailops/tls/tls.key \
  -out /etc/mailops/tls/tls.crt >/dev/null 2>&1
printf 'try-doveadm-key' >/etc/mailops/doveadm/api-key
cp "$W/reader-password" /etc/mailops/db-reader/password
export MAILOPS_MAILHOST_HOSTNAME=mail.try.test MAILHOST_DB_HOST=postgres MAILHOST_DB_PORT=5432 MAILHOST_DB_NAME=$DB
# The relay host: an SMTP server that keeps each message it receives, with its envelope sender and recipients
# (a tab between them), for the checks.
export MAILOPS_MAILHOST_RELAYHOST='[127.0.0.1]:2525'
/usr/bin/python3 -c 'import asyncio, sys
from aiosmtpd.controller import Controller
class Keep:
    async def handle_DATA(self, server, session, envelope):
        with open(sys.argv[1], "ab") as out:
            out.write(envelope.mail_from.encode() + b"\t" + ",".join(envelope.rcpt_tos).encode() + b"\n"
                      + envelope.original_content.replace(b"\r\n", b"\n") + b"\n\x00\n")
        return "250 OK"
Controller(Keep(), hostname="127.0.0.1", port=2525).start()
asyncio.get_event_loop().run_forever()' "$W/relayed" >"$W/relay.out" 2>&1 &
sh "$ROOT/deploy/images/dovecot/entrypoint.sh" >"$W/dovecot.out" 2>&1 &
sh "$ROOT/deploy/images/postfix/entrypoint.sh" >"$W/postfix.out" 2>&1 &
# OpenDKIM as the sidecar starts it (its syslog: see /dev above), then the key as mailhost-service writes
# it: 0640, its group, in the directory the entrypoint hands it.
MAILOPS_DKIM_SYSLOGD=off MAILOPS_DKIM_KEY_DIRECTORY=/srv/dkim/keys MAILOPS_DKIM_KEY_OWNER="root:$(getent group mailhost | cut -d: -f3)" \
  sh "$ROOT/deploy/images/opendkim/entrypoint.sh" >"$W/opendkim.out" 2>&1 &
# Its forward instance, as the opendkim-forward container starts it (its own /run there).
MAILOPS_DKIM_SYSLOGD=off MAILOPS_DKIM_KEY_DIRECTORY=/srv/dkim/keys MAILOPS_DKIM_KEY_OWNER="root:$(getent group mailhost | cut -d: -f3)" \
  MAILOPS_DKIM_PORT=10892 MAILOPS_DKIM_SENDER_HEADERS=X-Original-To MAILOPS_DKIM_RUN_DIRECTORY=/run/mailops/opendkim-forward \
  sh "$ROOT/deploy/images/opendkim/entrypoint.sh" >"$W/opendkim-forward.out" 2>&1 &
for _ in $(seq 50); do [ -d /srv/dkim/keys ] && break; sleep 0.1; done
install -m 0640 -g mailhost "$W/dkim.pem" "/srv/dkim/keys/$KEY_ID.pem"
sh -c 'until [ -e /var/log/postfix/postfix.log ]; do sleep 1; done; exec prometheus-postfix-exporter \
  --web.listen-address=127.0.0.1:9154 --postfix.logfile_path=/var/log/postfix/postfix.log \
  --postfix.showq_path=/var/spool/postfix/public/showq' >"$W/exporter.out" 2>&1 &

failed=0
check() { # name, command...
  local name=$1; shift
  if "$@" >"$W/check.out" 2>&1; then echo "ok: $name"; else echo "FAILED: $name"; sed 's/^/    /' "$W/check.out" | tail -5; failed=1; fi
}
up() { for _ in $(seq 100); do (exec 3<>/dev/tcp/127.0.0.1/$1) 2>/dev/null && return 0; sleep 0.2; done; return 1; }
for port in 10143 10993 10110 10995 10024 10044 10425 10900 10025 10587 10465 9154 10891 10892 10026 10701 2525; do check "listening on $port" up $port; done
imap() { curl -sk --max-time 10 "imaps://127.0.0.1:10993/INBOX" -u "$1" -X "$2"; }
check "IMAPS login with the password" imap "anna@try.test:$PASSWORD" 'EXAMINE INBOX'
check "IMAPS login with a wrong password refused" bash -c "! curl -sk --max-time 10 imaps://127.0.0.1:10993/INBOX -u anna@try.test:wrong -X 'EXAMINE INBOX'"
check "IMAP with STARTTLS" curl -s --max-time 10 --ssl-reqd -k "imap://127.0.0.1:10143/INBOX" -u "anna@try.test:$PASSWORD" -X 'EXAMINE INBOX'
check "POP3S login" curl -sk --max-time 10 "pop3s://127.0.0.1:10995/" -u "anna@try.test:$PASSWORD"
printf 'From: x@elsewhere.test\r\nSubject: to the alias\r\n\r\nhello\r\n' >"$W/m1.txt"
printf 'From: anna@try.test\r\nSubject: submitted\r\n\r\nhello\r\n' >"$W/m2.txt"
check "SMTP to an alias accepted" curl -s --max-time 10 smtp://127.0.0.1:10025 --mail-from x@elsewhere.test --mail-rcpt info@try.test -T "$W/m1.txt"
check "SMTP to an unknown address refused with 550" bash -c "curl -sv --max-time 10 smtp://127.0.0.1:10025 --mail-from x@elsewhere.test --mail-rcpt nobody@try.test -T $W/m1.txt 2>&1 | grep -q '^< 550'"
check "submission with STARTTLS and AUTH (SASL over TCP)" curl -sk --max-time 10 smtp://127.0.0.1:10587 --ssl-reqd -u "anna@try.test:$PASSWORD" --mail-from anna@try.test --mail-rcpt anna@try.test -T "$W/m2.txt"
check "submission as an alias of the login's mailbox accepted" curl -sk --max-time 10 smtp://127.0.0.1:10587 --ssl-reqd -u "anna@try.test:$PASSWORD" --mail-from info@try.test --mail-rcpt anna@try.test -T "$W/m2.txt"
check "submission as another mailbox's address refused with 553" bash -c "curl -skv --max-time 10 smtp://127.0.0.1:10587 --ssl-reqd -u 'anna@try.test:$PASSWORD' --mail-from bob@try.test --mail-rcpt anna@try.test -T $W/m2.txt 2>&1 | grep -q '^< 553 5.7.1 .*Sender address rejected: not owned by user'"
check "SMTPS as another mailbox's address refused with 553" bash -c "curl -skv --max-time 10 smtps://127.0.0.1:10465 -u 'anna@try.test:$PASSWORD' --mail-from bob@try.test --mail-rcpt anna@try.test -T $W/m2.txt 2>&1 | grep -q '^< 553 5.7.1 .*Sender address rejected: not owned by user'"
check "submission without AUTH refused" bash -c "! curl -s --max-time 10 smtp://127.0.0.1:10587 --mail-from anna@try.test --mail-rcpt anna@try.test -T $W/m2.txt"
delivered() { for _ in $(seq 50); do imap "anna@try.test:$PASSWORD" 'SEARCH ALL' | grep -q '^\* SEARCH 1 2 3' && return 0; sleep 0.2; done; return 1; }
check "the three mails delivered over LMTP on TCP into the INBOX" delivered
# DKIM, checked by python3-dkim against the public key of the active selector (not by OpenDKIM itself).
cat >"$W/dkim-check.py" <<'PY'
import subprocess, sys
import dkim
record, password = open(sys.argv[1], 'rb').read(), sys.argv[2]
signed, unsigned = [], []
for uid in (1, 2, 3):
    message = subprocess.run(['curl', '-sk', '--max-time', '10', f'imaps://127.0.0.1:10993/INBOX;UID={uid}',
                              '-u', f'anna@try.test:{password}'], capture_output=True, check=True).stdout
    subject = [line for line in message.split(b'\r\n') if line.startswith(b'Subject:')][0]
    (signed if b'DKIM-Signature:' in message else unsigned).append(subject)
    if b'submitted' in subject:
        assert b'd=try.test' in message and b's=mbo0001' in message, message[:600]
        assert dkim.verify(message, dnsfunc=lambda name, timeout=5: record if name == b'mbo0001._domainkey.try.test.' else None), \
            'the signature does not verify'
print('signed:', signed, 'unsigned:', unsigned)
assert len(signed) == 2 and all(b'submitted' in s for s in signed), 'both submitted mails signed'
assert unsigned == [b'Subject: to the alias'], 'the mail in on SMTP not signed'
PY
check "submitted mail DKIM-signed with the active selector's key (python3-dkim verifies), SMTP in not signed" \
  /usr/bin/python3 "$W/dkim-check.py" "$W/dkim.record" "$PASSWORD"
# Forwarded mail: in on SMTP from outside for fwd@try.test, out to the relay host signed by try.test.
printf 'From: x@elsewhere.test\r\nTo: fwd@try.test\r\nSubject: forwarded\r\n\r\nhello\r\n' >"$W/m3.txt"
cat >"$W/forward-check.py" <<'PY'
import sys, time
import dkim
record, relayed = open(sys.argv[1], 'rb').read(), sys.argv[2]
for _ in range(100):
    try:
        kept = open(relayed, 'rb').read()
        if kept:
            break
    except FileNotFoundError:
        pass
    time.sleep(0.2)
envelope, message = kept.split(b'\n\x00\n')[0].split(b'\n', 1)
sender = envelope.split(b'\t')[0]
assert sender.startswith(b'SRS0=') and sender.endswith(b'=elsewhere.test=x@mail.try.test'), sender
assert b'd=try.test' in message and b's=mbo0001' in message, message[:600]
assert dkim.verify(message, dnsfunc=lambda name, timeout=5: record if name == b'mbo0001._domainkey.try.test.' else None), \
    'the signature does not verify'
print('relayed from', sender)
PY
check "SMTP in to a forwarding accepted" curl -s --max-time 10 smtp://127.0.0.1:10025 --mail-from x@elsewhere.test --mail-rcpt fwd@try.test -T "$W/m3.txt"
check "forwarded mail DKIM-signed with the forwarding domain's key (python3-dkim verifies), envelope sender SRS" \
  /usr/bin/python3 "$W/forward-check.py" "$W/dkim.record" "$W/relayed"
# The far end bounces it: a DSN (MAIL FROM:<>) to the SRS sender goes back to the original sender; a forged
# SRS address (a hash postsrsd did not make) is refused with 550.
srs=$(head -n 1 "$W/relayed" | cut -f1)
forged=$(printf %s "$srs" | sed 's/^SRS0=[^=]*=/SRS0=AAAA=/')
printf 'From: MAILER-DAEMON@mx.outside.test\r\nSubject: Undelivered Mail Returned to Sender\r\n\r\nfailed\r\n' >"$W/m4.txt"
check "a bounce to the SRS sender accepted" curl -s --max-time 10 smtp://127.0.0.1:10025 --mail-from '' --mail-rcpt "$srs" -T "$W/m4.txt"
# The null sender, as aiosmtpd keeps it ("<>"), for the original sender.
bounced() { for _ in $(seq 50); do grep -qE "^(<>)?$(printf '\t')x@elsewhere\.test\$" "$W/relayed" && return 0; sleep 0.2; done; return 1; }
check "the bounce relayed to the original sender with the null sender" bounced
check "a forged SRS address refused with 550" bash -c "curl -sv --max-time 10 smtp://127.0.0.1:10025 --mail-from '' \
  --mail-rcpt '$forged' -T $W/m4.txt 2>&1 | grep -q '^< 550 5.1.1'"
check "GETQUOTAROOT reports the quota" bash -c "curl -sk --max-time 10 imaps://127.0.0.1:10993/ -u anna@try.test:$PASSWORD -X 'GETQUOTAROOT INBOX' | grep -q 'STORAGE [0-9]* 1048576'"
check "doveadm HTTP API with the key" bash -c "curl -s --max-time 10 -H 'Authorization: X-Dovecot-API $(printf try-doveadm-key | base64)' \
  -d '[[\"mailboxStatus\",{\"user\":\"anna@try.test\",\"field\":[\"messages\"],\"mailboxMask\":[\"INBOX\"]},\"c1\"]]' \
  http://127.0.0.1:10425/doveadm/v1 | grep -q '\"messages\":\"3\"'"
check "Dovecot's metrics: logins by outcome, deliveries" bash -c "m=\$(curl -s http://127.0.0.1:10900/metrics);
  echo \"\$m\" | grep -q '^dovecot_auth_success_total [1-9]' && echo \"\$m\" | grep -q '^dovecot_auth_failure_total [1-9]' &&
  echo \"\$m\" | grep -q '^dovecot_mail_delivery_total 3'"
check "the exporter's refusals by code" bash -c "curl -s http://127.0.0.1:9154/metrics | grep -q '^postfix_smtpd_messages_rejected_total{code=\"550\"} 2'"

postfix -c /run/mailops/postfix stop >/dev/null 2>&1
me=$(readlink /proc/self/ns/net)
for pid in $(ls /proc | grep -E '^[0-9]+$'); do  # everything else in this network namespace was started here
  [[ $pid == "$$" ]] && continue
  [[ $(readlink "/proc/$pid/ns/net" 2>/dev/null) == "$me" ]] && kill "$pid" 2>/dev/null
done
sleep 0.5
exit $failed
POD
chmod +x "$WORK/pod.sh"
timeout 180 unshare --net --mount --fork "$WORK/pod.sh" "$WORK" "$ROOT" "$PG_SOCKET" "$DB" "$PASSWORD" "$KEY_ID"
status=$?
if ((status != 0)); then
  echo "try: logs:" >&2
  tail -n 15 "$WORK/postfix.out" "$WORK/dovecot.out" "$WORK/opendkim.out" "$WORK/opendkim-forward.out" "$WORK/relay.out" \
    "$WORK/exporter.out" >&2 2>/dev/null
fi
exit "$status"
