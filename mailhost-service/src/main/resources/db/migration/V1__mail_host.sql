-- The mail host's state, kept from mailbox.events (and the mailbox.credentials topic for the hashes):
-- what Dovecot and Postfix read, through the views at the end, as a role that may only SELECT them.

-- Events already applied (idempotent consumer, consumer-kit).
create table processed_event (
    event_id     uuid        primary key,
    tenant_id    varchar(64) not null,
    event_type   varchar(64) not null,
    processed_at timestamptz not null
);

-- A tenant's mail domain: Postfix accepts mail for it (virtual_mailbox_domains).
create table mail_domain (
    domain     varchar(253) primary key,
    tenant_id  varchar(64)  not null,
    created_at timestamptz  not null
);
create index mail_domain_tenant_idx on mail_domain (tenant_id);

-- A mailbox. address is lower case, localPart@domain. password_hash is in the form Dovecot verifies
-- ({ARGON2ID}$argon2id$v=19$m=...,t=...,p=...$salt$hash); while it is null nobody can log in.
-- quota_bytes is the rate's storageGiB in bytes. maildir is the mailbox's home below the mail host's
-- mail root (domain/localPart). keep_copy: with forwardings, mail also stays in the mailbox
-- ("Save emails in mailbox"). An inactive mailbox cannot log in and receives nothing.
create table mailbox (
    id            uuid         primary key,
    tenant_id     varchar(64)  not null,
    address       varchar(254) not null unique check (address = lower(address)),
    domain        varchar(253) not null references mail_domain (domain),
    password_hash text         check (password_hash like '{ARGON2ID}$argon2id$%'),
    quota_bytes   bigint       not null check (quota_bytes > 0),
    maildir       varchar(320) not null unique,
    keep_copy     boolean      not null default false,
    active        boolean      not null default true,
    created_at    timestamptz  not null,
    updated_at    timestamptz  not null
);
create index mailbox_domain_idx on mailbox (domain);

-- An alias address that delivers to its mailbox.
create table alias (
    address    varchar(254) primary key check (address = lower(address)),
    mailbox_id uuid         not null references mailbox (id) on delete cascade,
    created_at timestamptz  not null
);
create index alias_mailbox_idx on alias (mailbox_id);

-- Where a mailbox's mail is forwarded to (0-20 targets); mailbox.keep_copy says whether it stays too.
create table forwarding (
    mailbox_id uuid         not null references mailbox (id) on delete cascade,
    target     varchar(254) not null check (target = lower(target)),
    primary key (mailbox_id, target)
);

-- What Dovecot and Postfix read. Only active mailboxes, and only aliases and forwardings of them, appear.

-- Dovecot passdb: a login's password hash.
create view dovecot_passdb as
select address, password_hash as password
  from mailbox
 where active and password_hash is not null;

-- Dovecot userdb: a mailbox's home (below the mail root) and its quota.
create view dovecot_userdb as
select address, maildir, quota_bytes
  from mailbox
 where active;

-- Postfix virtual_mailbox_domains.
create view postfix_domains as
select domain from mail_domain;

-- Postfix virtual_mailbox_maps: the addresses delivered into a mailbox (over LMTP to Dovecot).
create view postfix_mailboxes as
select address, maildir
  from mailbox
 where active;

-- Postfix virtual_alias_maps, one row per (address, target); Postfix joins an address's rows with
-- commas. An alias yields its mailbox's address; a mailbox with forwardings yields the targets and,
-- when it keeps a copy, its own address (Postfix delivers an address that maps to itself as it is).
create view postfix_aliases as
select a.address, m.address as target
  from alias a
  join mailbox m on m.id = a.mailbox_id
 where m.active
union all
select m.address, f.target
  from forwarding f
  join mailbox m on m.id = f.mailbox_id
 where m.active
union all
select m.address, m.address
  from mailbox m
 where m.active and m.keep_copy and exists (select 1 from forwarding f where f.mailbox_id = m.id);

-- The read-only role's grants, listed once. The role itself (LOGIN, its password) is made by
-- infra/mailhost.sh or the deployment, as a superuser: this service's own role may not create roles.
-- Whichever comes second applies the grants: this migration if the role exists already, else the
-- script or the deployment by calling the function.
create function mail_host_grant_reader(reader name) returns void
language plpgsql as $$
begin
    execute format('grant select on dovecot_passdb, dovecot_userdb, postfix_domains, postfix_mailboxes, '
                   'postfix_aliases to %I', reader);
end
$$;
revoke all on function mail_host_grant_reader(name) from public;

do $$
begin
    if exists (select 1 from pg_roles where rolname = current_database() || '_reader') then
        perform mail_host_grant_reader((current_database() || '_reader')::name);
    end if;
end
$$;
