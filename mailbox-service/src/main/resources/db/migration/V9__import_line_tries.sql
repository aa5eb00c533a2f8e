-- How many times a line was first of a batch: a line that fails for a reason of the service's own (not a rule)
-- stops its batch, and the job goes on from it after a pause; once its tries reach the limit it fails alone.
alter table import_line add column tries integer not null default 0;
