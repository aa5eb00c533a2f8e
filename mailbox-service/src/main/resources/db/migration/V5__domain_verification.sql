-- Domains are proven before they are used. A domain is pending (verified_at null) until the TXT record
-- mailops-verification=<verification_token> is found at _mailops-verification.<domain>; the checker
-- looks at pending domains whose next_verification_at is due. Domains registered before this change
-- carry no token and count as verified, as their DomainAdded (without a token) says to every consumer.
alter table mail_domain
    add column verification_token   varchar(64),
    add column verification_method  varchar(16),
    add column verified_at          timestamptz,
    add column next_verification_at timestamptz;
update mail_domain set verified_at = added_at;
create index mail_domain_verification_due_idx on mail_domain (next_verification_at) where verified_at is null;

-- The cross-tenant index of claimed names: a domain's children are the rows whose reversed name starts
-- with the reversed domain and a dot.
create index mail_domain_reversed_idx on mail_domain (reverse(domain) text_pattern_ops);
