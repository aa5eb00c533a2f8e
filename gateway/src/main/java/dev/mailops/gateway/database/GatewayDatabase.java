package dev.mailops.gateway.database;

import javax.sql.DataSource;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import dev.mailops.kit.jdbc.Database;

/** The statements of the user directory and the sessions: plain JDBC on the gateway's data source. */
public class GatewayDatabase {

    @Produces
    @Singleton
    Database database(DataSource dataSource) {
        return new Database(dataSource);
    }
}
