package dev.mailops.mailbox.domain;

/** What the resolvers say: whether a TXT record with exactly this value is published at the name. */
@FunctionalInterface
public interface OwnershipDns {
    boolean publishes(String name, String value);
}
