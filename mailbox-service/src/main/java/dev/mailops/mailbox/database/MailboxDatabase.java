package dev.mailops.mailbox.database;

import javax.sql.DataSource;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import dev.mailops.kit.jdbc.Database;

/** The event store, the address registry and the read models: plain JDBC on mailbox-service's data source. */
public class MailboxDatabase {

    @Produces
    @Singleton
    Database database(DataSource dataSource) {
        return new Database(dataSource);
    }
}
