-- Postfix and Dovecot look an address up with a query of their own for every mail, recipient and login.
-- Sent as text against the views, each lookup was planned anew: the views join the mailboxes, domains,
-- aliases, forwardings and pending removals, and PostgreSQL took 13-50 ms to plan an alias lookup that
-- ran in 2 ms, so it spent most of the mail host's CPU on planning. A PL/pgSQL function's query is
-- prepared once per connection, and with a generic plan from the first call on (PostgreSQL would try
-- five custom plans first, each planned like the text query) a lookup through these functions costs the
-- execution alone (0.2-0.3 ms). They read the same views, with the caller's rights (the
-- read-only role's SELECT on the views; EXECUTE is PUBLIC's, as for every function).

create function mail_host_domain(lookup text) returns table (domain text)
language plpgsql stable set plan_cache_mode = force_generic_plan as $$
begin
    return query select d.domain::text from postfix_domains d where d.domain = lookup;
end
$$;

create function mail_host_mailbox(lookup text) returns table (maildir text)
language plpgsql stable set plan_cache_mode = force_generic_plan as $$
begin
    return query select m.maildir::text from postfix_mailboxes m where m.address = lookup;
end
$$;

create function mail_host_alias_targets(lookup text) returns table (target text)
language plpgsql stable set plan_cache_mode = force_generic_plan as $$
begin
    return query select a.target::text from postfix_aliases a where a.address = lookup;
end
$$;

create function mail_host_sender_logins(lookup text) returns table (login text)
language plpgsql stable set plan_cache_mode = force_generic_plan as $$
begin
    return query select s.login::text from postfix_sender_logins s where s.address = lookup;
end
$$;

create function mail_host_passdb(lookup text) returns table (username text, password text)
language plpgsql stable set plan_cache_mode = force_generic_plan as $$
begin
    return query select p.address::text, p.password from dovecot_passdb p where p.address = lookup;
end
$$;

create function mail_host_userdb(lookup text) returns table (maildir text, quota_bytes bigint)
language plpgsql stable set plan_cache_mode = force_generic_plan as $$
begin
    return query select u.maildir::text, u.quota_bytes from dovecot_userdb u where u.address = lookup;
end
$$;
