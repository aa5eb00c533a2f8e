package dev.mailops.mailhost;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mailops.testinfra.MailboxEventsFixture;

/**
 * The mailbox events the mail host is kept from, published as mailbox-service publishes them (through
 * test-infra's {@link MailboxEventsFixture}), with the fields the published schemas require.
 */
final class MailHostEvents implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    final MailboxEventsFixture fixture;

    MailHostEvents(String topic) {
        this.fixture = new MailboxEventsFixture(topic);
    }

    MailboxEventsFixture.Sent domainAdded(String tenant, String domain) {
        return fixture.domainAdded(tenant, domain, Instant.now());
    }

    /** A domain registered pending: its DomainAdded carries a verification token. */
    MailboxEventsFixture.Sent pendingDomainAdded(String tenant, String domain) {
        return send(tenant, "DomainAdded", domain, Map.of("domain", domain,
                "verificationToken", "q3Jb0m9mX1N4cHZpV2t0cE9xYlNlR2h6YjFkZA"));
    }

    MailboxEventsFixture.Sent domainClaimExpired(String tenant, String domain) {
        return send(tenant, "DomainClaimExpired", domain, Map.of("domain", domain,
                "reclaimableAt", Instant.now().plusSeconds(7 * 24 * 3600).toString()));
    }

    MailboxEventsFixture.Sent domainVerified(String tenant, String domain) {
        return send(tenant, "DomainVerified", domain, Map.of("domain", domain, "method", "dns-txt"));
    }

    MailboxEventsFixture.Sent mailboxCreated(String tenant, UUID id, String address, String rate) {
        return mailboxCreated(tenant, id, address, rate, List.of(), false);
    }

    MailboxEventsFixture.Sent mailboxCreated(String tenant, UUID id, String address, String rate, List<String> forwardTo,
            boolean keepCopy) {
        return fixture.mailboxCreated(tenant, id, address, rate, forwardTo, keepCopy, Instant.now());
    }

    MailboxEventsFixture.Sent aliasAdded(String tenant, UUID id, String alias) {
        return fixture.aliasAdded(tenant, id, alias, Instant.now());
    }

    MailboxEventsFixture.Sent aliasRemoved(String tenant, UUID id, String alias) {
        return send(tenant, "AliasRemoved", id, Map.of("mailboxId", id.toString(), "alias", alias,
                "blockedUntil", Instant.now().plusSeconds(48 * 3600).toString()));
    }

    MailboxEventsFixture.Sent rateChanged(String tenant, UUID id, String address, String previousRate, String rate) {
        return send(tenant, "RateChanged", id, Map.of("mailboxId", id.toString(), "address", address,
                "previousRate", previousRate, "rate", rate));
    }

    MailboxEventsFixture.Sent passwordChanged(String tenant, UUID id, String address) {
        return send(tenant, "PasswordChanged", id, Map.of("mailboxId", id.toString(), "address", address));
    }

    MailboxEventsFixture.Sent mailboxDeleted(String tenant, UUID id, String address, String rate, List<String> aliases) {
        return fixture.mailboxDeleted(tenant, id, address, rate, aliases, Instant.now());
    }

    MailboxEventsFixture.Sent addressReleased(String tenant, UUID id, String address) {
        return send(tenant, "AddressReleased", id, Map.of("mailboxId", id.toString(), "address", address));
    }

    MailboxEventsFixture.Sent dkimKeyGenerated(String tenant, DkimKeys.Pair key) {
        return send(tenant, "DkimKeyGenerated", key.domain(), Map.of("domain", key.domain(), "selector", key.selector(),
                "keyId", key.keyId().toString(), "algorithm", key.algorithm(), "publicKey", key.publicKey(),
                "record", key.record()));
    }

    MailboxEventsFixture.Sent dkimKeyPublished(String tenant, DkimKeys.Pair key) {
        return send(tenant, "DkimKeyPublished", key.domain(), Map.of("domain", key.domain(), "selector", key.selector(),
                "keyId", key.keyId().toString()));
    }

    /** The key signs from now on; the previous one (null for the first activation) retires at the given time. */
    MailboxEventsFixture.Sent dkimSelectorActivated(String tenant, DkimKeys.Pair key, DkimKeys.Pair previous,
            Instant previousRetiresAt) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("domain", key.domain());
        data.put("selector", key.selector());
        data.put("keyId", key.keyId().toString());
        data.put("previousSelector", previous == null ? null : previous.selector());
        data.put("previousKeyId", previous == null ? null : previous.keyId().toString());
        data.put("previousKeyRetiresAt", previousRetiresAt == null ? null : previousRetiresAt.toString());
        return send(tenant, "DkimSelectorActivated", key.domain(), data);
    }

    MailboxEventsFixture.Sent dkimKeyRetired(String tenant, DkimKeys.Pair key) {
        return send(tenant, "DkimKeyRetired", key.domain(), Map.of("domain", key.domain(), "selector", key.selector(),
                "keyId", key.keyId().toString()));
    }

    private MailboxEventsFixture.Sent send(String tenant, String type, UUID subject, Map<String, ?> data) {
        return send(tenant, type, subject.toString(), data);
    }

    private MailboxEventsFixture.Sent send(String tenant, String type, String subject, Map<String, ?> data) {
        try {
            return fixture.send(tenant, type, subject, Instant.now(), JSON.writeValueAsString(data));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        fixture.close();
    }
}
