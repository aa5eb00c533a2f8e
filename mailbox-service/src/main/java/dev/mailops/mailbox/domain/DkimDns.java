package dev.mailops.mailbox.domain;

/** What the authoritative DNS servers serve: whether every one of them serves the key's public key. */
@FunctionalInterface
public interface DkimDns {
    boolean serves(DkimKey key);
}
