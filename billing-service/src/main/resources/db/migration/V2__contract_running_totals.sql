-- Running totals on the contract head: a revision's figures come from here, so applying an event
-- costs the same for a tenant with 5 mailboxes as for one with 50,000 (it summed the open lines before).
alter table contract
    add column active_mailboxes      integer       not null default 0,
    add column mailboxes_monthly_net numeric(12,2) not null default 0,
    add column basic_fee_monthly_net numeric(12,2) not null default 0;

update contract c
   set active_mailboxes = open_lines.mailboxes, mailboxes_monthly_net = open_lines.total
  from (select tenant_id, count(*) as mailboxes, sum(monthly_net_price) as total
          from contract_line where ends_at is null group by tenant_id) open_lines
 where open_lines.tenant_id = c.tenant_id;

update contract c
   set basic_fee_monthly_net = p.monthly_net_price
  from basic_fee_period p
 where p.tenant_id = c.tenant_id and p.ends_at is null;
