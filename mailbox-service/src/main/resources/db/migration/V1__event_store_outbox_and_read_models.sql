-- The event store: the source of truth. One stream per aggregate, optimistic concurrency through
-- the unique (stream_type, stream_id, stream_version).
create table event_store (
    global_position bigserial    primary key,
    event_id        uuid         not null unique,
    stream_type     varchar(32)  not null,
    stream_id       varchar(300) not null,
    stream_version  integer      not null,
    tenant_id       varchar(64)  not null,
    event_type      varchar(64)  not null,
    schema_version  integer      not null,
    payload         jsonb        not null,
    correlation_id  varchar(128),
    actor           varchar(128),
    occurred_at     timestamptz  not null,
    constraint event_store_stream_version_uk unique (stream_type, stream_id, stream_version)
);
create index event_store_tenant_idx on event_store (tenant_id, global_position);

-- The transactional outbox: a row per event not yet acknowledged by Kafka, written in the same
-- transaction as the event. Committing a row wakes the relay through NOTIFY.
create table outbox (
    global_position bigint      primary key references event_store (global_position),
    enqueued_at     timestamptz not null default now()
);

create function notify_outbox_relay() returns trigger language plpgsql as $$
begin
    perform pg_notify('mailbox_outbox', '');
    return null;
end
$$;

create trigger outbox_wakes_relay after insert on outbox
    for each statement execute function notify_outbox_relay();

-- Every address in use or in quarantine, across all tenants: the primary key is what makes two
-- simultaneous creates of one address end with exactly one winner.
create table address_claim (
    address       varchar(254) primary key,
    tenant_id     varchar(64)  not null,
    mailbox_id    uuid         not null,
    kind          varchar(16)  not null check (kind in ('MAILBOX', 'ALIAS')),
    blocked_until timestamptz
);
create index address_claim_due_idx on address_claim (blocked_until) where blocked_until is not null;

-- Read models, updated in the transaction that appends the events.
create table mail_domain (
    domain    varchar(253) primary key,
    tenant_id varchar(64)  not null,
    added_at  timestamptz  not null
);
create index mail_domain_tenant_idx on mail_domain (tenant_id, domain);

create table mailbox_view (
    mailbox_id     uuid         primary key,
    tenant_id      varchar(64)  not null,
    address        varchar(254) not null unique,
    local_part     varchar(64)  not null,
    domain         varchar(253) not null,
    first_name     varchar(100) not null,
    last_name      varchar(100) not null,
    system_user_id varchar(64)  not null,
    forward_to     jsonb        not null,
    keep_copy      boolean      not null,
    rate           varchar(64)  not null,
    created_at     timestamptz  not null,
    version        integer      not null
);
create index mailbox_view_tenant_idx on mailbox_view (tenant_id, address);
create index mailbox_view_tenant_domain_idx on mailbox_view (tenant_id, domain, address);

create table alias_view (
    address    varchar(254) primary key,
    mailbox_id uuid         not null references mailbox_view (mailbox_id) on delete cascade,
    tenant_id  varchar(64)  not null,
    created_at timestamptz  not null
);
create index alias_view_mailbox_idx on alias_view (mailbox_id);

create table tenant_settings (
    tenant_id      varchar(64) primary key,
    basic_fee_plan varchar(64) not null,
    changed_at     timestamptz not null
);

-- Password hashes live apart from everything else and never leave this table.
create table mailbox_credential (
    mailbox_id    uuid         primary key,
    password_hash varchar(255) not null,
    updated_at    timestamptz  not null
);
