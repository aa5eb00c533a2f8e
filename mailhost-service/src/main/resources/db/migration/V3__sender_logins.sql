-- Who may send as which address on submission and SMTPS: without this, any authenticated user could
-- put any envelope sender, another tenant's address too, on the mail it submits.

-- Postfix smtpd_sender_login_maps: an address and the login (a mailbox's address, as Dovecot's SASL
-- names it) that may send as it. A hosted mailbox sends as itself and as each of its aliases; an address
-- without a row here is owned by nobody, so reject_sender_login_mismatch refuses it to every login.
create view postfix_sender_logins as
select m.address, m.address as login
  from hosted_mailbox m
union all
select a.address, m.address
  from alias a
  join hosted_mailbox m on m.id = a.mailbox_id;

-- The read-only role may read the new view too (the one list of the grants, see V1).
create or replace function mail_host_grant_reader(reader name) returns void
language plpgsql as $$
begin
    execute format('grant select on dovecot_passdb, dovecot_userdb, postfix_domains, postfix_mailboxes, '
                   'postfix_aliases, postfix_sender_logins to %I', reader);
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
