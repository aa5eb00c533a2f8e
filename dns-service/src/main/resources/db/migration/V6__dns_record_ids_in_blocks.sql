-- A zone's records are inserted together (13 for a new domain). With an id from the column's default,
-- each insert had to return its id and went alone; from blocks of 50 that Hibernate takes from the
-- sequence (DnsRecord), the inserts of a transaction go as one JDBC batch. Writers that use the
-- default still get an id no block hands out: each nextval is a block of its own.
alter sequence dns_record_id_seq increment by 50;
