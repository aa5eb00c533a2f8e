package dev.mailops.billing.contract;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import dev.mailops.billing.catalog.VatRates;
import dev.mailops.kit.errors.FieldErrors;
import dev.mailops.kit.errors.InvalidValueException;
import dev.mailops.kit.errors.ValidationException;
import dev.mailops.kit.jdbc.Database;

/**
 * The tenants' billing addresses: entered by an admin, not derived from events (so not a revision, and
 * kept by a replay). The country must be one billed from, as it selects the VAT rate.
 */
@ApplicationScoped
public class BillingAddresses {

    private static final Pattern EMAIL = Pattern.compile("[^@\\s]{1,64}@[A-Za-z0-9.-]{1,253}\\.[A-Za-z]{2,63}");
    private static final Pattern VAT_ID = Pattern.compile("[A-Z]{2}[A-Z0-9]{2,13}");

    /** A billing address as entered, before it is checked; a blank vatId means none. */
    public record Input(String company, String street, String postalCode, String city, String country, String email,
            String vatId) {
    }

    @Inject
    Database database;
    @Inject
    VatRates vatRates;
    @Inject
    Clock clock;

    /** Checks every field (all errors at once), then creates or replaces the tenant's billing address. */
    @Transactional
    public BillingAddress change(String tenantId, Input input) {
        if (input == null) {
            throw ValidationException.of("body", "a JSON object is required");
        }
        FieldErrors errors = new FieldErrors();
        String company = errors.check("company", () -> text(input.company(), 200));
        String street = errors.check("street", () -> text(input.street(), 200));
        String postalCode = errors.check("postalCode", () -> text(input.postalCode(), 20));
        String city = errors.check("city", () -> text(input.city(), 100));
        String country = errors.check("country", () -> country(input.country()));
        String email = errors.check("email", () -> email(input.email()));
        String vatId = input.vatId() == null || input.vatId().isBlank() ? null
                : errors.check("vatId", () -> vatId(input.vatId()));
        errors.throwIfAny();
        BillingAddress address = new BillingAddress();
        address.tenantId = tenantId;
        address.company = company;
        address.street = street;
        address.postalCode = postalCode;
        address.city = city;
        address.country = country;
        address.email = email;
        address.vatId = vatId;
        address.updatedAt = Instant.now(clock).truncatedTo(ChronoUnit.MICROS);
        database.update("INSERT INTO billing_address (" + BillingAddress.COLUMNS + """
                ) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tenant_id) DO UPDATE SET company = excluded.company,
                street = excluded.street, postal_code = excluded.postal_code, city = excluded.city,
                country = excluded.country, email = excluded.email, vat_id = excluded.vat_id,
                updated_at = excluded.updated_at""", address.tenantId, address.company, address.street,
                address.postalCode, address.city, address.country, address.email, address.vatId, address.updatedAt);
        return address;
    }

    /** The country whose VAT applies: the billing address's, or the provider's while there is none. */
    public String vatCountry(BillingAddress address) {
        return address == null ? vatRates.defaultCountry() : address.country;
    }

    public BigDecimal vatPercent(BillingAddress address) {
        return vatRates.percent(vatCountry(address)).orElseThrow();
    }

    private static String text(String value, int max) {
        if (value == null || value.isBlank()) {
            throw new InvalidValueException("must not be blank");
        }
        String stripped = value.strip();
        if (stripped.length() > max || stripped.codePoints().anyMatch(Character::isISOControl)) {
            throw new InvalidValueException("must be at most " + max + " characters without control characters");
        }
        return stripped;
    }

    private String country(String value) {
        String code = value == null ? "" : value.strip().toUpperCase(Locale.ROOT);
        if (vatRates.percent(code).isEmpty()) {
            throw new InvalidValueException("must be one of the countries billed from: " + vatRates.all().keySet());
        }
        return code;
    }

    private static String email(String value) {
        String stripped = value == null ? "" : value.strip();
        if (stripped.length() > 254 || !EMAIL.matcher(stripped).matches()) {
            throw new InvalidValueException("must be an email address such as billing@example.com");
        }
        return stripped;
    }

    private static String vatId(String value) {
        String id = value.replace(" ", "").toUpperCase(Locale.ROOT);
        if (!VAT_ID.matcher(id).matches()) {
            throw new InvalidValueException("must be a VAT identification number such as DE123456789");
        }
        return id;
    }
}
