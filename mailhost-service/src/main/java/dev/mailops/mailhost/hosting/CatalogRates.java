package dev.mailops.mailhost.hosting;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mailops.mailhost.hosting.rules.Rates;

/** The rates' storage from {@code contract/catalog.json}, the file mailbox-service and billing read too. */
@ApplicationScoped
public class CatalogRates implements Rates {

    static final String RESOURCE = "contract/catalog.json";

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Rate(String id, int storageGiB) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Document(List<Rate> rates) {
    }

    private final Map<String, Integer> storage;

    @Inject
    public CatalogRates(ObjectMapper json) {
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            storage = json.readValue(in, Document.class).rates().stream()
                    .collect(Collectors.toUnmodifiableMap(Rate::id, Rate::storageGiB));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + RESOURCE, e);
        }
    }

    @Override
    public Optional<Integer> storageGiB(String rate) {
        return Optional.ofNullable(storage.get(rate));
    }
}
