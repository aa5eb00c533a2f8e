package dev.mailops.dns.zone;

import javax.sql.DataSource;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import dev.mailops.kit.jdbc.Database;

/** The zones, their records and the served zones' wire data: plain JDBC on dns-service's data source. */
public class DnsDatabase {

    @Produces
    @Singleton
    Database database(DataSource dataSource) {
        return new Database(dataSource);
    }
}
