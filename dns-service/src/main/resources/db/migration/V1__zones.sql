-- Events already applied (idempotent consumer).
create table processed_event (
    event_id     uuid        primary key,
    tenant_id    varchar(64) not null,
    event_type   varchar(64) not null,
    processed_at timestamptz not null
);

-- A tenant's mail domain as a DNS zone. The serial rises with every change of its records;
-- published_serial is the last one announced on dns.events (a pending announcement survives a crash).
create table dns_zone (
    domain           varchar(253) primary key,
    tenant_id        varchar(64)  not null,
    serial           bigint       not null,
    published_serial bigint       not null default 0,
    created_at       timestamptz  not null,
    updated_at       timestamptz  not null
);
create index dns_zone_tenant_idx on dns_zone (tenant_id, domain);
create index dns_zone_unpublished_idx on dns_zone (domain) where serial > published_serial;

-- Records of a zone: the provider's (provisioned from DomainAdded) and the tenant's own (the API).
-- name is relative to the zone, '@' for the apex; value is the record data in presentation format.
create table dns_record (
    id         bigserial    primary key,
    domain     varchar(253) not null,
    tenant_id  varchar(64)  not null,
    name       varchar(253) not null,
    type       varchar(10)  not null,
    ttl        integer      not null,
    value      text         not null,
    managed_by varchar(10)  not null check (managed_by in ('PROVIDER', 'TENANT')),
    created_at timestamptz  not null
);
create index dns_record_domain_idx on dns_record (domain, name, type);
