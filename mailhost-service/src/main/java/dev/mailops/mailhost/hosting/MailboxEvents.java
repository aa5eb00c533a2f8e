package dev.mailops.mailhost.hosting;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * mailhost-service's own view of the mailbox.events it keeps the mail host from: only the fields it
 * needs, unknown fields ignored; tested against the published schemas. {@code PasswordChanged} needs
 * nothing here (the hash comes on mailbox.credentials), nor does {@code AddressReleased} (the address
 * is free at the mail host once the deleted mailbox's mail is removed), nor {@code FeeChanged}.
 */
public final class MailboxEvents {

    /** The types applied; a record of one of them that breaks its schema is dead-lettered. */
    public static final Set<String> HANDLED_TYPES = Set.of("DomainAdded", "DomainVerified", "DomainClaimExpired",
            "MailboxCreated", "AliasAdded",
            "AliasRemoved", "MailboxDeleted", "RateChanged", "DkimKeyGenerated", "DkimKeyPublished",
            "DkimSelectorActivated", "DkimKeyRetired");

    /** The types that change which DKIM keys the signer needs. */
    public static final Set<String> DKIM_TYPES = Set.of("DkimKeyGenerated", "DkimKeyPublished",
            "DkimSelectorActivated", "DkimKeyRetired");

    private MailboxEvents() {
    }

    /** Pending until its DomainVerified when it carries a verification token; verified at once without one. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record DomainAdded(String domain, String verificationToken) {
        public boolean verified() {
            return verificationToken == null;
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record DomainVerified(String domain) {
    }

    /** The tenant's pending claim ended unproven; its mailboxes and aliases there went by their own events before. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record DomainClaimExpired(String domain) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record MailboxCreated(UUID mailboxId, String address, String domain, List<String> forwardTo, boolean keepCopy,
            String rate) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record AliasAdded(UUID mailboxId, String alias) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record AliasRemoved(UUID mailboxId, String alias) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record MailboxDeleted(UUID mailboxId, String address) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record RateChanged(UUID mailboxId, String address, String previousRate, String rate) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record DkimKeyGenerated(String domain, String selector, UUID keyId, String algorithm, String record) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record DkimKeyPublished(String domain, String selector, UUID keyId) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record DkimSelectorActivated(String domain, String selector, UUID keyId, Instant previousKeyRetiresAt) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record DkimKeyRetired(String domain, String selector, UUID keyId) {
    }
}
