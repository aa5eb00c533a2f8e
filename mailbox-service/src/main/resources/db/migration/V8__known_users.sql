-- The tenants' system users, as the gateway's user directory announces them on gateway.users (the
-- directory is the source; this is its projection): a new mailbox belongs to an enabled user of its own
-- tenant. Only the user's id and standing: no name, role or secret of the user is kept here.
create table known_user (
    tenant_id  varchar(64)  not null,
    user_id    varchar(100) not null,
    enabled    boolean      not null,
    changed_at timestamptz  not null,
    primary key (tenant_id, user_id)
);

-- Events of gateway.users already applied (consumer-kit's idempotent consumer).
create table processed_event (
    event_id     uuid        primary key,
    tenant_id    varchar(64) not null,
    event_type   varchar(64) not null,
    processed_at timestamptz not null
);
