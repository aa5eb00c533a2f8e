package dev.mailops.billing.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Prices of the rates and basic fee plans, from {@code contract/catalog.json}: the same file
 * mailbox-service enforces alias limits with. Prices are net per month, exact to the cent.
 */
@ApplicationScoped
public class Catalog {

    static final String RESOURCE = "contract/catalog.json";

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Rate(String id, String name, BigDecimal monthlyNetPrice, int aliasLimit, int storageGiB) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record BasicFeePlan(String id, String name, BigDecimal monthlyNetPrice, boolean providerSupport,
            @JsonProperty("default") boolean isDefault, String description) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Document(String currency, List<Rate> rates, List<BasicFeePlan> basicFees) {
    }

    private final Document document;

    @Inject
    public Catalog(ObjectMapper json) {
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            document = json.readValue(in, Document.class);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + RESOURCE, e);
        }
        if (document.basicFees().stream().filter(BasicFeePlan::isDefault).count() != 1) {
            throw new IllegalStateException(RESOURCE + " must mark exactly one basic fee plan as default");
        }
    }

    public String currency() {
        return document.currency();
    }

    public List<Rate> rates() {
        return document.rates();
    }

    public List<BasicFeePlan> basicFees() {
        return document.basicFees();
    }

    public Optional<Rate> rate(String id) {
        return rates().stream().filter(rate -> rate.id().equals(id)).findFirst();
    }

    public Optional<BasicFeePlan> basicFee(String id) {
        return basicFees().stream().filter(plan -> plan.id().equals(id)).findFirst();
    }

    public BasicFeePlan defaultBasicFee() {
        return basicFees().stream().filter(BasicFeePlan::isDefault).findFirst().orElseThrow();
    }
}
