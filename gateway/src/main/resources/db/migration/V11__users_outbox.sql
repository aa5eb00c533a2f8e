-- The transactional outbox (outbox-kit): the users' lifecycle (UserCreated, UserDisabled, UserEnabled) is
-- written here in the transaction that changes the user directory, and the relay sends it to
-- gateway.users and deletes it once the broker acknowledged it. Committing a row wakes the relay through NOTIFY.
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
    perform pg_notify('gateway_outbox', '');
    return null;
end
$$;

create trigger outbox_wakes_relay after insert on outbox
    for each statement execute function notify_outbox_relay();

-- The users of an existing installation reach gateway.users once, through the same outbox: each tenant's
-- user as UserCreated, and a disabled one with UserDisabled after it (operators belong to no tenant and
-- are not published). Only what the schemas name: never the password hash.
insert into outbox (event_id, event_type, data_schema, subject, tenant_id, occurred_at, extensions, payload)
select gen_random_uuid(), 'UserCreated', 'urn:mailops:schema:gateway-users:UserCreated:v1', username, tenant_id,
       created_at, '{}'::jsonb,
       jsonb_build_object('tenantId', tenant_id, 'userId', username, 'username', username,
                          'displayName', display_name, 'roles', to_jsonb(string_to_array(roles, ',')),
                          'createdAt', to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))::text
from gateway_user where tenant_id is not null order by id;

insert into outbox (event_id, event_type, data_schema, subject, tenant_id, occurred_at, extensions, payload)
select gen_random_uuid(), 'UserDisabled', 'urn:mailops:schema:gateway-users:UserDisabled:v1', username, tenant_id,
       now(), '{}'::jsonb,
       jsonb_build_object('tenantId', tenant_id, 'userId', username, 'username', username)::text
from gateway_user where tenant_id is not null and not enabled order by id;
