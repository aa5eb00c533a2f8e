-- What the test projections write per event: in which order (id) and in which PostgreSQL transaction.
create table applied_event (
    id             bigserial    primary key,
    event_id       uuid         not null,
    projection     varchar(32)  not null,
    tenant_id      varchar(64)  not null,
    subject        varchar(300) not null,
    transaction_id bigint       not null
);

-- The table ProcessedEvents writes, as each consuming service creates it.
create table processed_event (
    event_id     uuid        primary key,
    tenant_id    varchar(64) not null,
    event_type   varchar(64) not null,
    processed_at timestamptz not null
);
