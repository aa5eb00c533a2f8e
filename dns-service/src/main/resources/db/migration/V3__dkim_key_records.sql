-- The TXT record of one of the domain's own DKIM keys (self-hosted profile) names the key it publishes,
-- so that a retired key's record is removed only while the selector still publishes that key.
alter table dns_record add column dkim_key_id uuid;
