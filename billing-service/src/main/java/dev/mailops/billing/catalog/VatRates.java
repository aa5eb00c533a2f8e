package dev.mailops.billing.catalog;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Standard VAT rates in percent by ISO 3166 country code ({@code billing.vat.rates.DE=19}, ...). */
@ConfigMapping(prefix = "billing.vat")
public interface VatRates {

    Map<String, BigDecimal> rates();

    /** The provider's country, used while a tenant has not given a billing address. */
    @WithDefault("DE")
    String defaultCountry();

    default Optional<BigDecimal> percent(String country) {
        return Optional.ofNullable(rates().get(country));
    }

    default SortedMap<String, BigDecimal> all() {
        return new TreeMap<>(rates());
    }
}
