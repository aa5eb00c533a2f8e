-- A pending claim holds its name for mailbox.domain-verification.claim-lifetime from added_at; unproven by
-- then it expires and its row leaves this table (the cross-tenant index). The expiry job reads the oldest
-- pending claims first.
create index mail_domain_pending_claim_idx on mail_domain (added_at)
    where verified_at is null and verification_token is not null;
