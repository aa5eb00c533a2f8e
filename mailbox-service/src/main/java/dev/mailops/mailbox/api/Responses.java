package dev.mailops.mailbox.api;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import dev.mailops.mailbox.catalog.Catalog;
import dev.mailops.mailbox.query.MailDomainView;
import dev.mailops.mailbox.query.MailboxView;

/** The JSON shapes the API answers with. Passwords and their hashes appear in none of them. */
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

    public record Domain(String domain, Instant addedAt) {
        static Domain of(MailDomainView view) {
            return new Domain(view.domain, view.addedAt);
        }
    }

    public record BasicFee(String plan, String name, BigDecimal monthlyNetPrice, String currency,
            boolean providerSupport, String description, Instant changedAt) {
    }

    public record HistoryEntry(UUID eventId, String type, int version, Instant occurredAt, String actor,
            String correlationId, JsonNode data) {
    }
}
