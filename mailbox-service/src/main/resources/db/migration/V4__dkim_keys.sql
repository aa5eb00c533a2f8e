-- The DKIM read models. dkim_domain is the key keeper's agenda: a domain whose next_step_at has come
-- needs a step (keys to generate, publish or activate, a replaced key to retire); null = nothing
-- pending. activated_at is when the active selector started signing, for the scheduled rotation.
-- dkim_key holds each domain's current key per selector (public halves only; no private key is kept
-- in this database, in the clear or sealed).
create table dkim_domain (
    domain          varchar(253) primary key,
    tenant_id       varchar(64)  not null,
    next_step_at    timestamptz,
    active_selector varchar(63),
    activated_at    timestamptz
);
create index dkim_domain_next_step_idx on dkim_domain (next_step_at) where next_step_at is not null;
create index dkim_domain_activated_idx on dkim_domain (activated_at) where activated_at is not null;

create table dkim_key (
    key_id       uuid         primary key,
    domain       varchar(253) not null,
    selector     varchar(63)  not null,
    algorithm    varchar(32)  not null,
    public_key   text         not null,
    record       text         not null,
    state        varchar(16)  not null,
    generated_at timestamptz  not null,
    published_at timestamptz,
    activated_at timestamptz,
    retires_at   timestamptz,
    constraint dkim_key_one_per_selector unique (domain, selector)
);

-- Domains registered before DKIM keys existed get theirs the same way as new ones.
insert into dkim_domain (domain, tenant_id, next_step_at) select domain, tenant_id, now() from mail_domain;
