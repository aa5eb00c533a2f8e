package dev.mailops.mailbox.catalog;

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
 * The rates (with their alias limits) and basic fee plans, read from {@code contract/catalog.json}:
 * one file in the repository that mailbox-service and billing-service both package, so the alias
 * limit enforced here and the price billed there cannot drift apart.
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
    record Document(int catalogVersion, String currency, List<Rate> rates, List<BasicFeePlan> basicFees) {
    }

    private final String currency;
    private final List<Rate> rates;
    private final List<BasicFeePlan> basicFees;

    @Inject
    public Catalog(ObjectMapper json) {
        Document document = read(json);
        currency = document.currency();
        rates = List.copyOf(document.rates());
        basicFees = List.copyOf(document.basicFees());
        if (basicFees.stream().filter(BasicFeePlan::isDefault).count() != 1) {
            throw new IllegalStateException(RESOURCE + " must mark exactly one basic fee plan as default");
        }
    }

    private static Document read(ObjectMapper json) {
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            return json.readValue(in, Document.class);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + RESOURCE, e);
        }
    }

    public String currency() {
        return currency;
    }

    public List<Rate> rates() {
        return rates;
    }

    public Optional<Rate> rate(String id) {
        return rates.stream().filter(rate -> rate.id().equals(id)).findFirst();
    }

    public List<BasicFeePlan> basicFees() {
        return basicFees;
    }

    public Optional<BasicFeePlan> basicFee(String id) {
        return basicFees.stream().filter(plan -> plan.id().equals(id)).findFirst();
    }

    public BasicFeePlan defaultBasicFee() {
        return basicFees.stream().filter(BasicFeePlan::isDefault).findFirst().orElseThrow();
    }
}
