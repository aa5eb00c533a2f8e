-- What OpenDKIM reads (KeyTable and SigningTable as dsn:pgsql:// data sets), as the read-only role.

-- KeyTable: a key name -> domain (d=), selector (s=), the path of its PEM file. Only keys whose file
-- the key writer wrote, of a selector that has them now (a retired key leaves at once).
create view opendkim_key_table as
select k.key_id::text as key_name, k.domain::text as domain, k.selector::text as selector, f.path as key_path
  from dkim_private_key k
  join dkim_selector s on s.key_id = k.key_id and s.domain = k.domain and s.selector = k.selector
  join dkim_key_file f on f.key_id = k.key_id;

-- SigningTable: a domain (OpenDKIM looks up the From: header's domain) -> the key of its active
-- selector, only when that key is in the KeyTable: a domain whose key file is not written is not
-- signed rather than failing every message.
create view opendkim_signing_table as
select s.domain::text as domain, t.key_name
  from dkim_selector s
  join opendkim_key_table t on t.key_name = s.key_id::text
 where s.state = 'active';

-- The read-only role may read the two new views too (the one list of the grants, see V1).
create or replace function mail_host_grant_reader(reader name) returns void
language plpgsql as $$
begin
    execute format('grant select on dovecot_passdb, dovecot_userdb, postfix_domains, postfix_mailboxes, '
                   'postfix_aliases, postfix_sender_logins, opendkim_key_table, opendkim_signing_table to %I', reader);
end
$$;
revoke all on function mail_host_grant_reader(name) from public;

do $$
begin
    if exists (select 1 from pg_roles where rolname = current_database() || '_reader') then
        perform mail_host_grant_reader((current_database() || '_reader')::name);
    end if;
end
$$;
