package dev.mailops.mailhost.hosting.rules;

import java.util.Optional;

/** The storage each rate includes, by rate id (contract/catalog.json). */
@FunctionalInterface
public interface Rates {

    /** The rate's storage in GiB, or empty for a rate this build does not know. */
    Optional<Integer> storageGiB(String rate);
}
