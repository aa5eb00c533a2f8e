-- Credentials apart from the mailbox row, a mailbox's rate, and the removal of a deleted mailbox's mail.

-- The current password hash of a mailbox, by mailbox id, from the compacted topic mailbox.credentials.
-- Kept apart from the mailbox row because a credential may arrive before or after its MailboxCreated
-- (another topic); a tombstone deletes the row. updated_at is the Kafka record's timestamp.
create table mailbox_credential (
    mailbox_id    uuid        primary key,
    password_hash text        not null check (password_hash like '{ARGON2ID}$argon2id$%'),
    updated_at    timestamptz not null
);
insert into mailbox_credential (mailbox_id, password_hash, updated_at)
select id, password_hash, updated_at from mailbox where password_hash is not null;

-- The rate the mailbox is billed with; quota_bytes is its storageGiB in bytes (contract/catalog.json).
alter table mailbox add column rate varchar(64);

-- The mail of a deleted mailbox, to be removed from the mail host (mailhost-service, through Dovecot's
-- doveadm HTTP API). Not derived from the events alone: removed_at records what was done to the mail
-- host, so a replay keeps these rows. While a removal of an address is pending, Dovecot's userdb still
-- resolves the address (to the maildir being emptied), passdb and Postfix refuse it, and a mailbox
-- created again at the address waits, invisible to the mail host, until its old mail is gone.
create table mail_removal (
    mailbox_id      uuid         primary key,
    address         varchar(254) not null,
    maildir         varchar(320) not null,
    requested_at    timestamptz  not null,
    attempts        integer      not null default 0,
    next_attempt_at timestamptz  not null,
    last_error      text,
    removed_at      timestamptz
);
create index mail_removal_pending_idx on mail_removal (address) where removed_at is null;

drop view dovecot_passdb, dovecot_userdb, postfix_mailboxes, postfix_aliases;
alter table mailbox drop column password_hash;

-- The mailboxes the mail host serves: active, and no mail of a deleted mailbox at the address left to remove.
create view hosted_mailbox as
select m.*
  from mailbox m
 where m.active
   and not exists (select 1 from mail_removal r where r.address = m.address and r.removed_at is null);

-- Dovecot passdb: a login's password hash.
create view dovecot_passdb as
select m.address, c.password_hash as password
  from hosted_mailbox m
  join mailbox_credential c on c.mailbox_id = m.id;

-- Dovecot userdb: a mailbox's home (below the mail root) and its quota; also an address whose mail is
-- being removed (quota 0: no limit), so that doveadm can empty it.
create view dovecot_userdb as
select address, maildir, quota_bytes
  from hosted_mailbox
union all
select distinct on (address) address, maildir, 0::bigint
  from mail_removal
 where removed_at is null;

-- Postfix virtual_mailbox_maps: the addresses delivered into a mailbox (over LMTP to Dovecot).
create view postfix_mailboxes as
select address, maildir
  from hosted_mailbox;

-- Postfix virtual_alias_maps, one row per (address, target); Postfix joins an address's rows with
-- commas. An alias yields its mailbox's address; a mailbox with forwardings yields the targets and,
-- when it keeps a copy, its own address (Postfix delivers an address that maps to itself as it is).
create view postfix_aliases as
select a.address, m.address as target
  from alias a
  join hosted_mailbox m on m.id = a.mailbox_id
union all
select m.address, f.target
  from forwarding f
  join hosted_mailbox m on m.id = f.mailbox_id
union all
select m.address, m.address
  from hosted_mailbox m
 where m.keep_copy and exists (select 1 from forwarding f where f.mailbox_id = m.id);

-- The views were made anew: grant them again (see V1).
do $$
begin
    if exists (select 1 from pg_roles where rolname = current_database() || '_reader') then
        perform mail_host_grant_reader((current_database() || '_reader')::name);
    end if;
end
$$;
