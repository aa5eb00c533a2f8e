-- The local user directory: tenants' system users (the manual's "System user" list) and their roles.
-- Passwords are bcrypt hashes in modular crypt format; they never leave this table.
create table gateway_user (
    id           bigserial    primary key,
    username     varchar(100) not null unique,
    password     varchar(100) not null,
    roles        varchar(100) not null,
    tenant_id    varchar(64)  not null,
    display_name varchar(200) not null,
    created_at   timestamptz  not null
);
create index gateway_user_tenant_idx on gateway_user (tenant_id, username);
