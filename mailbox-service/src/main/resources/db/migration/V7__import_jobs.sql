-- Migration imports run as jobs inside the service: a job per accepted file, a row per line. An instance
-- works on a job while it holds its lease (lease_owner, lease_until) and renews it as it goes; a job whose
-- lease ran out (its instance died) is taken over by another, which carries on with the lines still pending.
create table import_job (
    job_id      uuid primary key,
    tenant_id   varchar(64)  not null,
    created_by  varchar(128) not null,
    state       varchar(16)  not null check (state in ('queued', 'running', 'finished')),
    total_lines integer      not null,
    created_at  timestamptz  not null,
    started_at  timestamptz,
    finished_at timestamptz,
    lease_owner varchar(64),
    lease_until timestamptz
);
create index import_job_open_idx on import_job (created_at) where state <> 'finished';

-- A line's mailbox as uploaded, a plain password already replaced by its Argon2id hash; the hash is removed
-- from it in the transaction that records the line's outcome. outcome: pending until the line is done.
create table import_line (
    job_id     uuid         not null references import_job (job_id) on delete cascade,
    line_no    integer      not null,
    address    varchar(254) not null,
    mailbox    jsonb        not null,
    outcome    varchar(16)  not null default 'pending' check (outcome in ('pending', 'created', 'unchanged', 'failed')),
    mailbox_id uuid,
    errors     jsonb,
    primary key (job_id, line_no)
);
create index import_line_pending_idx on import_line (job_id, line_no) where outcome = 'pending';
