package dev.mailops.mailhost.database;

import javax.sql.DataSource;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import dev.mailops.kit.jdbc.Database;

/** The mail host's, the credentials' and the DKIM tables: plain JDBC on mailhost-service's data source. */
public class MailhostDatabase {

    @Produces
    @Singleton
    Database database(DataSource dataSource) {
        return new Database(dataSource);
    }
}
