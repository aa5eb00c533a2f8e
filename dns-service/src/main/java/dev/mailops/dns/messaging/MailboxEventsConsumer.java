package dev.mailops.dns.messaging;

import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;

import dev.mailops.consumer.CloudEvent;
import dev.mailops.consumer.CloudEventReader;
import dev.mailops.consumer.EventConsumption;
import dev.mailops.consumer.PoisonRecordException;
import dev.mailops.consumer.ProcessedEvents;
import dev.mailops.consumer.Projection;
import dev.mailops.dns.provider.MailProfile;
import dev.mailops.dns.server.ZoneCache;
import dev.mailops.dns.zone.DkimRecords;
import dev.mailops.dns.zone.ZoneProvisioning;
import dev.mailops.dns.zone.rules.DkimKey;
import dev.mailops.dns.zone.rules.InvalidValue;

/**
 * Consumes mailbox.events in dns-service's own group: a DomainAdded provisions the domain's zone with
 * the mail profile's records (served by the DNS server only once the domain is verified: at once for a
 * DomainAdded without a verification token, else when its DomainVerified arrives), a DomainClaimExpired
 * removes the pending zone of that tenant with every record in it, and, where the profile publishes the domains' own DKIM keys, a
 * DkimKeyGenerated publishes a selector's key and a DkimKeyRetired removes it; each exactly once (see
 * {@link EventConsumption}, a poll per transaction). A changed zone is announced through the outbox in
 * the same transaction, and served after the commit.
 */
@ApplicationScoped
public class MailboxEventsConsumer {

    /** dns-service's own views of the events it acts on; tested against the published schemas. */
    /** Pending until its DomainVerified when it carries a verification token; verified at once without one. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record DomainAdded(String domain, String verificationToken) {
        boolean verified() {
            return verificationToken == null;
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record DomainVerified(String domain, String method) {
    }

    /** The tenant's pending claim ended unproven: its zone goes. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record DomainClaimExpired(String domain) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record DkimKeyGenerated(String domain, String selector, UUID keyId, String record) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record DkimKeyRetired(String domain, String selector, UUID keyId) {
    }

    static final Set<String> DOMAIN_TYPES = Set.of("DomainAdded", "DomainVerified", "DomainClaimExpired");
    static final Set<String> DOMAIN_AND_DKIM_TYPES = Set.of("DomainAdded", "DomainVerified", "DomainClaimExpired",
            "DkimKeyGenerated", "DkimKeyRetired");

    @Inject
    EventConsumption consumption;
    @Inject
    CloudEventReader reader;
    @Inject
    ProcessedEvents processedEvents;
    @Inject
    ZoneProvisioning provisioning;
    @Inject
    DkimRecords dkimRecords;
    @Inject
    MailProfile profile;
    @Inject
    ZoneCache cache;
    @Inject
    RecordsChangedPublisher publisher;

    /** The types acted on: the DKIM events only where the profile publishes the domains' own keys. */
    public Set<String> handledTypes() {
        return profile.ownDkimKeys() ? DOMAIN_AND_DKIM_TYPES : DOMAIN_TYPES;
    }

    @Incoming("mailbox-events")
    @Blocking
    public CompletionStage<Void> consume(KafkaRecordBatch<String, String> batch) {
        return consumption.process(batch, handledTypes(), this::project);
    }

    /** Applies the event once and announces a changed zone in the same transaction; after the commit serves it. */
    Projection.AfterCommit project(CloudEvent event) {
        Optional<String> changed = apply(event, false);
        if (changed.isEmpty()) {
            return Projection.AfterCommit.NOTHING;
        }
        String domain = changed.get();
        publisher.announce(domain);
        return () -> {
            cache.reload(domain);
            return CompletableFuture.completedFuture(null);
        };
    }

    /**
     * Applies the event once, inside the caller's transaction; the domain whose zone it changed, if any.
     * A DKIM record that is no valid TXT data is poison.
     */
    public Optional<String> apply(CloudEvent event, boolean replaying) {
        if (!processedEvents.firstDelivery(event) || !handledTypes().contains(event.type())) {
            return Optional.empty();
        }
        return switch (event.type()) {
            case "DomainAdded" -> provision(reader.data(event, DomainAdded.class), event, replaying);
            case "DomainVerified" -> {
                String domain = reader.data(event, DomainVerified.class).domain();
                yield changed(domain, provisioning.verify(domain, event.time()));
            }
            case "DomainClaimExpired" -> {
                // A pending zone was never served: nothing to reload or announce, it just goes.
                provisioning.expire(reader.data(event, DomainClaimExpired.class).domain(), event.tenantId());
                yield Optional.empty();
            }
            case "DkimKeyGenerated" -> {
                DkimKeyGenerated key = reader.data(event, DkimKeyGenerated.class);
                try {
                    yield changed(key.domain(), dkimRecords.publish(key.domain(), event.tenantId(),
                            new DkimKey(key.selector(), key.keyId(), key.record()), event.time()));
                } catch (InvalidValue e) {
                    throw new PoisonRecordException("DkimKeyGenerated " + key.keyId() + ": " + e.getMessage(), e);
                }
            }
            case "DkimKeyRetired" -> {
                DkimKeyRetired key = reader.data(event, DkimKeyRetired.class);
                yield changed(key.domain(), dkimRecords.retire(key.domain(), event.tenantId(), key.selector(),
                        key.keyId(), event.time()));
            }
            default -> Optional.empty();
        };
    }

    private Optional<String> provision(DomainAdded added, CloudEvent event, boolean replaying) {
        String domain = added.domain();
        if (replaying) {
            provisioning.reprovision(domain, event.tenantId(), added.verified(), event.time());
            return Optional.of(domain);
        }
        return changed(domain, provisioning.provision(domain, event.tenantId(), added.verified(), event.time()));
    }

    private static Optional<String> changed(String domain, boolean changed) {
        return changed ? Optional.of(domain) : Optional.empty();
    }
}
