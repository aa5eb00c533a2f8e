-- The contract's mailboxes are read a page at a time, by address: each page an index range, not a sort of
-- all the tenant's open lines.
create index contract_line_open_address_idx on contract_line (tenant_id, address, mailbox_id) where ends_at is null;
