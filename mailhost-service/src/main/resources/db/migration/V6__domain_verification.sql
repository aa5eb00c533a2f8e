-- The mail host accepts mail only for proven domains. A domain whose DomainAdded carries a verification
-- token waits for its DomainVerified; until then Postfix does not know it (RCPT TO is refused as relaying)
-- and its mailboxes can neither log in nor receive. Domains added before this change came from a
-- DomainAdded without a token, which counts as verified: they keep working.
alter table mail_domain add column verified boolean not null default true;

create or replace view postfix_domains as
select domain from mail_domain where verified;

-- The mailboxes the mail host serves: active, at a verified domain, and no mail of a deleted mailbox at
-- the address left to remove. Every view of Dovecot and Postfix reads the mailboxes through this one.
create or replace view hosted_mailbox as
select m.*
  from mailbox m
 where m.active
   and exists (select 1 from mail_domain d where d.domain = m.domain and d.verified)
   and not exists (select 1 from mail_removal r where r.address = m.address and r.removed_at is null);
