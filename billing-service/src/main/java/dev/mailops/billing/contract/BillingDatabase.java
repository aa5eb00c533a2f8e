package dev.mailops.billing.contract;

import javax.sql.DataSource;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import dev.mailops.kit.jdbc.Database;

/** The API's reads, the billing addresses and the notices: plain JDBC on billing-service's data source. */
public class BillingDatabase {

    @Produces
    @Singleton
    Database database(DataSource dataSource) {
        return new Database(dataSource);
    }
}
