package dev.mailops.mailbox.domain;

import java.time.Duration;
import java.time.Instant;

/**
 * How a tenant proves that a domain is its own: {@code DNS_TXT}, a TXT record with the domain's token
 * found through the deployment's resolvers; {@code NONE}, no proof asked (a deployment without
 * internet, or the tests): the domain is verified when it is registered.
 */
public enum DomainOwnership {
    DNS_TXT("dns-txt"), NONE("none");

    /** The owner name of the proof record below the domain. */
    public static final String RECORD_PREFIX = "_mailops-verification.";
    /** The proof record's value before the token. */
    public static final String VALUE_PREFIX = "mailops-verification=";

    private final String method;

    DomainOwnership(String method) {
        this.method = method;
    }

    /** The name in events and settings. */
    public String method() {
        return method;
    }

    public static DomainOwnership of(String method) {
        for (DomainOwnership policy : values()) {
            if (policy.method.equals(method)) {
                return policy;
            }
        }
        throw new InvalidValue("'" + method + "' is no verification policy; choose dns-txt or none");
    }

    /** Where the proof of a domain is looked for. */
    public static String recordName(DomainName domain) {
        return RECORD_PREFIX + domain.name();
    }

    public static String recordValue(String token) {
        return VALUE_PREFIX + token;
    }

    /** Until when a pending claim made at {@code claimedAt} holds the name. */
    public static Instant claimExpiresAt(Instant claimedAt, Duration lifetime) {
        return claimedAt.plus(lifetime);
    }
}
