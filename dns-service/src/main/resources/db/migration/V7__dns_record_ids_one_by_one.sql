-- The records are written with plain JDBC now, their ids from the column's default: V6's blocks of 50 were
-- for Hibernate's pooled ids, and would number a zone's records 1, 51, 101, ... Ids already given stay.
alter sequence dns_record_id_seq increment by 1;
