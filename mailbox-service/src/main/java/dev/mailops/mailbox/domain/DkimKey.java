package dev.mailops.mailbox.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * A domain's key under one selector, as its events left it.
 *
 * @param retiresAt when a replaced key stops being published; null while it is not replaced
 */
public record DkimKey(String domain, String selector, UUID keyId, DkimAlgorithm algorithm, String publicKey,
        String record, boolean published, Instant retiresAt) {

    /** Where the key's TXT record is published. */
    public String dnsName() {
        return selector + "._domainkey." + domain;
    }

    /** Replaced by the other selector's key, published until {@link #retiresAt}. */
    public boolean retiring() {
        return retiresAt != null;
    }

    DkimKey asPublished() {
        return new DkimKey(domain, selector, keyId, algorithm, publicKey, record, true, retiresAt);
    }

    DkimKey retiringAt(Instant at) {
        return new DkimKey(domain, selector, keyId, algorithm, publicKey, record, published, at);
    }
}
