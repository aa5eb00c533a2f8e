-- A rebuild from the topic writes revisions, lines and periods as it goes and the contracts they
-- belong to at the end, in one transaction: it defers these checks to its commit.
alter table contract_revision alter constraint contract_revision_tenant_id_fkey deferrable initially immediate;
alter table contract_line alter constraint contract_line_tenant_id_fkey deferrable initially immediate;
alter table basic_fee_period alter constraint basic_fee_period_tenant_id_fkey deferrable initially immediate;
