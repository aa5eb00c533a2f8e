-- A month's statement reads the tenant's lines a page at a time, by address, start and id: each page an
-- index range, not a sort of all the tenant's lines. The index by tenant and start served only the
-- statement's whole read and goes.
drop index contract_line_tenant_idx;
create index contract_line_tenant_address_idx on contract_line (tenant_id, address, starts_at, id);
