-- Each served zone as the DNS server last built it (DNS wire data), so that a start reads bytes instead of
-- building thousands of zones from their records. A row counts only for its zone's current serial and for
-- the format that built it (ZoneRecords.format(): this build's rules and the SOA and NS settings).
create table served_zone (
    domain varchar(253) primary key references dns_zone (domain) on delete cascade,
    serial bigint       not null,
    format varchar(64)  not null,
    wire   bytea        not null
);
