-- Tenants are onboarded by an operator; a disabled tenant's users cannot log in or refresh.
create table gateway_tenant (
    id           varchar(64)  primary key,
    display_name varchar(200) not null,
    enabled      boolean      not null default true,
    created_at   timestamptz  not null,
    disabled_at  timestamptz
);
-- Installations from before tenants existed keep their users: each tenant they name becomes a tenant.
insert into gateway_tenant (id, display_name, enabled, created_at)
select tenant_id, tenant_id, true, min(created_at) from gateway_user group by tenant_id;

-- Operators belong to no tenant; tenant users can be disabled by their admin or an operator.
alter table gateway_user alter column tenant_id drop not null;
alter table gateway_user add column enabled boolean not null default true;
alter table gateway_user add column password_changed_at timestamptz;

-- Rotating refresh tokens, stored as SHA-256 hashes: a family starts at login and ends at its expiry,
-- at logout, when a used token is presented again (reuse), or when its user is disabled or changes password.
create table gateway_refresh_token (
    id         bigserial    primary key,
    token_hash varchar(64)  not null unique,
    family_id  uuid         not null,
    username   varchar(100) not null,
    tenant_id  varchar(64),
    issued_at  timestamptz  not null,
    expires_at timestamptz  not null,
    used_at    timestamptz,
    revoked_at timestamptz
);
create index gateway_refresh_token_family_idx on gateway_refresh_token (family_id);
create index gateway_refresh_token_user_idx on gateway_refresh_token (username) where revoked_at is null;
create index gateway_refresh_token_tenant_idx on gateway_refresh_token (tenant_id) where revoked_at is null;
