-- Runs once, when the postgres container initialises an empty data volume
-- (docker-entrypoint-initdb.d), as POSTGRES_USER (mailops). One database per service, as in
-- ./mailops up (MAILOPS_PG_DATABASES) and in Kubernetes (deploy/kubernetes/postgres.yaml). The mail host's
-- read-only role comes from init-mailhost-reader.sh, which runs after this file.
-- Flyway in each service creates the schema at start.
CREATE DATABASE mailbox OWNER mailops;
CREATE DATABASE billing OWNER mailops;
CREATE DATABASE dns OWNER mailops;
CREATE DATABASE gateway OWNER mailops;
CREATE DATABASE mailhost OWNER mailops;
