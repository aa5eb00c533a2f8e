-- A pending domain claim may expire (DomainClaimExpired) and the name pass to another tenant. The new
-- claimant's DomainAdded travels on its own partition and may arrive before the former claimant's
-- MailboxDeleted and AliasRemoved: the mail host then serves a mailbox, or an alias, only at a domain of
-- the mailbox's own tenant, so nothing of the former claimant answers under the new claimant's name.
create or replace view hosted_mailbox as
select m.*
  from mailbox m
 where m.active
   and exists (select 1 from mail_domain d where d.domain = m.domain and d.verified and d.tenant_id = m.tenant_id)
   and not exists (select 1 from mail_removal r where r.address = m.address and r.removed_at is null);

-- An alias (an address at some domain, delivering to a hosted mailbox) counts only at a verified domain
-- of the mailbox's tenant.
create or replace view hosted_alias as
select a.address, a.mailbox_id
  from alias a
  join hosted_mailbox m on m.id = a.mailbox_id
 where exists (select 1 from mail_domain d
                where d.domain = split_part(a.address, '@', 2) and d.verified and d.tenant_id = m.tenant_id);

create or replace view postfix_aliases as
select a.address, m.address as target
  from hosted_alias a
  join hosted_mailbox m on m.id = a.mailbox_id
union all
select m.address, f.target
  from forwarding f
  join hosted_mailbox m on m.id = f.mailbox_id
union all
select m.address, m.address
  from hosted_mailbox m
 where m.keep_copy and exists (select 1 from forwarding f where f.mailbox_id = m.id);

create or replace view postfix_sender_logins as
select m.address, m.address as login
  from hosted_mailbox m
union all
select a.address, m.address
  from hosted_alias a
  join hosted_mailbox m on m.id = a.mailbox_id;
