-- A notice the mail server keeps refusing is tried a bounded number of times with backoff, then
-- marked failed, so it never holds back the others.
alter table notification add column attempts integer not null default 0;
alter table notification add column next_attempt_at timestamptz;
alter table notification add column failed_at timestamptz;
alter table notification add column last_error varchar(500);

drop index notification_unsent_idx;
create index notification_due_idx on notification (created_at) where sent_at is null and failed_at is null;
