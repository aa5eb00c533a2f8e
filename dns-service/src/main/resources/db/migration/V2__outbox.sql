-- The transactional outbox: every event this service publishes is written here in the transaction
-- that caused it, and the relay (outbox-kit) sends it to dns.events and deletes it once the broker
-- acknowledged it. Committing a row wakes the relay through NOTIFY.
create table outbox (
    position     bigint generated always as identity primary key,
    event_id     uuid         not null,
    event_type   varchar(64)  not null,
    data_schema  varchar(200) not null,
    subject      varchar(300),
    tenant_id    varchar(64)  not null,
    occurred_at  timestamptz  not null,
    extensions   jsonb        not null,
    payload      text         not null,
    trace_parent varchar(55),
    enqueued_at  timestamptz  not null default now()
);

create function notify_outbox_relay() returns trigger language plpgsql as $$
begin
    perform pg_notify('dns_outbox', '');
    return null;
end
$$;

create trigger outbox_wakes_relay after insert on outbox
    for each statement execute function notify_outbox_relay();
