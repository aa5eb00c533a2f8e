-- A zone is served only once its domain is proven (DomainVerified). Zones provisioned before this change
-- came from a DomainAdded without a verification token, which counts as verified: they stay served.
alter table dns_zone add column verified boolean not null default true;
