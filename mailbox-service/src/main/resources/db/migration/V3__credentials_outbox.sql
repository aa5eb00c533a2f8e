-- The second transactional outbox: each mailbox's current password hash on its way to the compacted,
-- restricted topic mailbox.credentials (outbox-kit's table shape, records keyed by mailbox id = subject).
-- A row is written in the transaction of the MailboxCreated or PasswordChanged it belongs to; a row
-- with a null payload, in the transaction of a MailboxDeleted, is the tombstone. The relay deletes
-- rows once the broker acknowledged them, so a hash stays here only until it is published.
create table credentials_outbox (
    position     bigint generated always as identity primary key,
    event_id     uuid         not null,
    event_type   varchar(64)  not null,
    data_schema  varchar(200) not null,
    subject      varchar(300) not null,
    tenant_id    varchar(64)  not null,
    occurred_at  timestamptz  not null,
    extensions   jsonb        not null,
    payload      text,
    trace_parent varchar(55),
    enqueued_at  timestamptz  not null default now()
);

create function notify_credentials_outbox_relay() returns trigger language plpgsql as $$
begin
    perform pg_notify('mailbox_credentials_outbox', '');
    return null;
end
$$;

create trigger credentials_outbox_wakes_relay after insert on credentials_outbox
    for each statement execute function notify_credentials_outbox_relay();
