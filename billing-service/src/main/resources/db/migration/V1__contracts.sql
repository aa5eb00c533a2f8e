-- Events already applied (idempotent consumer): written in the transaction that applies them.
create table processed_event (
    event_id     uuid        primary key,
    tenant_id    varchar(64) not null,
    event_type   varchar(64) not null,
    processed_at timestamptz not null
);

create table contract (
    tenant_id      varchar(64) primary key,
    revision       integer     not null,
    basic_fee_plan varchar(64) not null,
    created_at     timestamptz not null,
    updated_at     timestamptz not null
);

create table basic_fee_period (
    id                bigserial     primary key,
    tenant_id         varchar(64)   not null references contract (tenant_id),
    plan              varchar(64)   not null,
    monthly_net_price numeric(12,2) not null,
    starts_at         timestamptz   not null,
    ends_at           timestamptz
);
create index basic_fee_period_tenant_idx on basic_fee_period (tenant_id, starts_at);

create table contract_line (
    mailbox_id        uuid          primary key,
    tenant_id         varchar(64)   not null references contract (tenant_id),
    address           varchar(254)  not null,
    rate              varchar(64)   not null,
    monthly_net_price numeric(12,2) not null,
    starts_at         timestamptz   not null,
    ends_at           timestamptz
);
create index contract_line_tenant_idx on contract_line (tenant_id, starts_at);

create table contract_revision (
    id                bigserial     primary key,
    tenant_id         varchar(64)   not null references contract (tenant_id),
    revision          integer       not null,
    cause_event_id    uuid          not null unique,
    cause_event_type  varchar(64)   not null,
    cause_subject     varchar(300),
    occurred_at       timestamptz   not null,
    change            varchar(500)  not null,
    basic_fee_plan    varchar(64)   not null,
    active_mailboxes  integer       not null,
    monthly_net_total numeric(12,2) not null,
    constraint contract_revision_uk unique (tenant_id, revision)
);

-- Entered through the API, not derived from events: a replay keeps it.
create table billing_address (
    tenant_id   varchar(64)  primary key,
    company     varchar(200) not null,
    street      varchar(200) not null,
    postal_code varchar(20)  not null,
    city        varchar(100) not null,
    country     varchar(2)   not null,
    email       varchar(254) not null,
    vat_id      varchar(20),
    updated_at  timestamptz  not null
);

create table notification (
    id             bigserial     primary key,
    tenant_id      varchar(64)   not null,
    cause_event_id uuid          not null unique,
    recipient      varchar(254)  not null,
    subject        varchar(200)  not null,
    body           varchar(10000) not null,
    created_at     timestamptz   not null,
    sent_at        timestamptz
);
create index notification_unsent_idx on notification (created_at) where sent_at is null;
