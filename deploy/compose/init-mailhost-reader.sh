#!/bin/sh
# Runs once, after init-databases.sql, when the postgres container initialises an empty data volume.
# The mail host's read-only role (as infra/mailhost.sh makes it locally): Dovecot and Postfix log in
# with it; mailhost-service's migration grants it SELECT on the mail host's views, nothing else. Its
# password is the file db-reader-password of MAILOPS_MAILHOST_SECRETS, never part of the repository.
set -eu
password=$(cat /run/mailops/db-reader-password)
[ -n "$password" ] || { echo "init-mailhost-reader: db-reader-password is empty" >&2; exit 1; }
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres -v password="$password" <<'SQL'
CREATE ROLE mailhost_reader LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'password';
ALTER ROLE mailhost_reader SET default_transaction_read_only = on;
SQL
