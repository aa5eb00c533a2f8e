-- The W3C traceparent of the request that caused an event: the outbox relay publishes the event as
-- part of that trace, though it runs later and on another thread.
alter table event_store add column trace_parent varchar(55);
