package dev.mailops.billing.contract;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

import dev.mailops.kit.jdbc.Database;

/** Where invoices go; its country decides the VAT rate, its email gets the contract notices. */
public class BillingAddress {
    public String tenantId;
    public String company;
    public String street;
    public String postalCode;
    public String city;
    public String country;
    public String email;
    public String vatId;
    public Instant updatedAt;

    /** The columns {@link #read} reads, in the order of the fields. */
    public static final String COLUMNS = "tenant_id, company, street, postal_code, city, country, email, vat_id, updated_at";

    public static BillingAddress read(ResultSet row) throws SQLException {
        BillingAddress value = new BillingAddress();
        value.tenantId = row.getString("tenant_id");
        value.company = row.getString("company");
        value.street = row.getString("street");
        value.postalCode = row.getString("postal_code");
        value.city = row.getString("city");
        value.country = row.getString("country");
        value.email = row.getString("email");
        value.vatId = row.getString("vat_id");
        value.updatedAt = Database.instant(row, "updated_at");
        return value;
    }
}
