package dev.mailops.mailbox.api;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import dev.mailops.mailbox.catalog.Catalog;
import dev.mailops.mailbox.dkim.DkimSettings;
import dev.mailops.mailbox.domain.DomainName;
import dev.mailops.mailbox.domain.DomainOwnership;
import dev.mailops.mailbox.query.DkimKeyView;
import dev.mailops.mailbox.query.MailDomainView;
import dev.mailops.mailbox.query.MailboxView;

/** The JSON shapes the API answers with. Passwords, their hashes and private keys appear in none of them. */
public final class Responses {

    private Responses() {
    }

    public record Alias(String address, Instant createdAt) {
    }

    public record Mailbox(UUID id, String address, String localPart, String domain, String firstName,
            String lastName, String systemUserId, List<String> forwardTo, boolean keepCopy, String rate,
            int aliasLimit, List<Alias> aliases, Instant createdAt, int version) {

        static Mailbox of(MailboxView view, Catalog catalog) {
            int aliasLimit = catalog.rate(view.rate).map(Catalog.Rate::aliasLimit).orElse(0);
            return new Mailbox(view.mailboxId, view.address, view.localPart, view.domain, view.firstName,
                    view.lastName, view.systemUserId, List.copyOf(view.forwardTo), view.keepCopy, view.rate,
                    aliasLimit, view.aliases.stream().map(a -> new Alias(a.address, a.createdAt)).toList(),
                    view.createdAt, view.version);
        }
    }

    public record Page<T>(List<T> items, int page, int size, long totalItems, long totalPages) {
    }

    /**
     * A domain with its verification: {@code pending} until proven, with the TXT record to create
     * ({@code verification.record}), then {@code verified}.
     */
    public record Domain(String domain, Instant addedAt, String state, Verification verification) {
        static Domain of(MailDomainView view, Duration claimLifetime) {
            boolean verified = view.verifiedAt != null;
            boolean pendingClaim = view.verificationToken != null && !verified;
            Verification verification = new Verification(view.verificationMethod, view.verifiedAt,
                    !pendingClaim ? null : new VerificationRecord(
                            DomainOwnership.recordName(DomainName.of(view.domain)), "TXT",
                            DomainOwnership.recordValue(view.verificationToken)),
                    verified ? null : view.nextVerificationAt,
                    pendingClaim ? DomainOwnership.claimExpiresAt(view.addedAt, claimLifetime) : null);
            return new Domain(view.domain, view.addedAt, verified ? "verified" : "pending", verification);
        }
    }

    /**
     * How the domain was proven and when; while pending, the record to create, the next scheduled check,
     * and until when the claim holds the name unproven (after that it expires and anyone may claim it).
     */
    public record Verification(String method, Instant verifiedAt, VerificationRecord record, Instant nextCheckAt,
            Instant claimExpiresAt) {
    }

    /** The proof record: create it at the domain's DNS provider. */
    public record VerificationRecord(String name, String type, String value) {
    }

    /** A domain's DKIM keys: which selector signs, which waits, and when the next rotation is due. */
    public record Dkim(String domain, boolean enabled, String algorithm, String rotationInterval,
            Instant nextRotationAt, List<DkimSelector> selectors) {

        /**
         * From the keys alone, read in one statement: the domain's agenda row holds the same activation time,
         * but a second read could see it from before the activation the keys already show.
         */
        static Dkim of(String domain, DkimSettings settings, List<DkimKeyView> keys) {
            Instant nextRotationAt = settings.rotationInterval()
                    .flatMap(interval -> keys.stream()
                            .filter(key -> key.state == DkimKeyView.State.ACTIVE && key.activatedAt != null)
                            .findFirst().map(key -> key.activatedAt.plus(interval)))
                    .orElse(null);
            return new Dkim(domain, settings.enabled(), settings.algorithm().id(),
                    settings.rotationInterval().map(Duration::toString).orElse(null), nextRotationAt,
                    keys.stream().map(DkimSelector::of).toList());
        }
    }

    /** One selector's current key; the private key is never part of it. */
    public record DkimSelector(String selector, UUID keyId, String state, String dnsName, String record,
            Instant generatedAt, Instant publishedAt, Instant activatedAt, Instant retiresAt) {

        static DkimSelector of(DkimKeyView key) {
            return new DkimSelector(key.selector, key.keyId, key.state.name().toLowerCase(Locale.ROOT),
                    key.selector + "._domainkey." + key.domain, key.record, key.generatedAt, key.publishedAt,
                    key.activatedAt, key.retiresAt);
        }
    }

    public record BasicFee(String plan, String name, BigDecimal monthlyNetPrice, String currency,
            boolean providerSupport, String description, Instant changedAt) {
    }

    public record HistoryEntry(UUID eventId, String type, int version, Instant occurredAt, String actor,
            String correlationId, JsonNode data) {
    }
}
