-- A mailbox's rate can change (RateChanged): the mailbox then has a line per rate it had, the earlier
-- ones ended by the change. Lines get an id of their own; a mailbox still has at most one open line.
alter table contract_line drop constraint contract_line_pkey;
alter table contract_line add column id bigserial primary key;
-- Whether a rate change ended the line: its end day is then billed at the new rate, not at this one.
alter table contract_line add column replaced boolean not null default false;
create unique index contract_line_open_uk on contract_line (mailbox_id) where ends_at is null;
create index contract_line_mailbox_idx on contract_line (mailbox_id, starts_at);
