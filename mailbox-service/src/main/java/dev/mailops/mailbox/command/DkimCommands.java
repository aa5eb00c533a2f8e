package dev.mailops.mailbox.command;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;

import dev.mailops.mailbox.credentials.DkimPrivateKeys;
import dev.mailops.mailbox.dkim.DkimSettings;
import dev.mailops.mailbox.dkim.DnsPublicationCheck;
import dev.mailops.mailbox.domain.DkimKeySource;
import dev.mailops.mailbox.domain.DomainName;
import dev.mailops.mailbox.domain.MailDomain;
import dev.mailops.mailbox.domain.NotFound;
import dev.mailops.mailbox.domain.RuleViolation;
import dev.mailops.mailbox.domain.event.DkimKeyRetired;
import dev.mailops.mailbox.domain.event.MailboxEvent;
import dev.mailops.mailbox.query.DkimDomainView;
import dev.mailops.mailbox.query.DkimQueries;
import dev.mailops.mailbox.query.Projector;
import dev.mailops.mailbox.store.EventMetadata;
import dev.mailops.mailbox.store.EventStore;
import dev.mailops.mailbox.store.StoredEvent;
import dev.mailops.mailbox.store.StreamConflictException;
import dev.mailops.mailbox.store.StreamId;

/**
 * The DKIM commands on a domain's {@link MailDomain} stream: the key keeper's steps and the rotation
 * an admin asks for. The aggregate decides; this class generates the key pairs it asks for (their
 * private halves sealed onto the credentials outbox), asks DNS what it serves, and appends the events
 * with their read models, agenda and sealed keys or tombstones in one transaction. The stream's
 * version makes concurrent steps safe: of two that start from the same version exactly one commits.
 */
@ApplicationScoped
public class DkimCommands {

    static final String KEEPER = "system:dkim-keeper";

    @Inject
    EventStore eventStore;
    @Inject
    Projector projector;
    @Inject
    DkimQueries dkimQueries;
    @Inject
    DkimSettings settings;
    @Inject
    DkimPrivateKeys privateKeys;
    @Inject
    DnsPublicationCheck dns;
    @Inject
    MeterRegistry meters;
    @Inject
    Clock clock;

    /**
     * Takes the next step of up to {@code limit} domains whose step is due; returns how many moved.
     * A step that another instance or a command took first is left to it.
     */
    public int keepDueDomains(int limit) {
        Instant now = now();
        Optional<Instant> rotateBefore = settings.rotationInterval().map(now::minus);
        List<String> due = QuarkusTransaction.requiringNew().call(() -> dkimQueries.due(now, rotateBefore, limit));
        int moved = 0;
        for (String domain : due) {
            try {
                if (counted("KeepDkimKeys", () -> QuarkusTransaction.requiringNew()
                        .call(() -> step(domain, rotateBefore)))) {
                    moved++;
                }
            } catch (RuntimeException e) {
                if (!StreamConflictException.lostRace(e)) {
                    throw e;
                }
                // Another instance or an admin's rotation appended first; the next tick sees their result.
            }
        }
        return moved;
    }

    /** Makes the standby selector sign, once DNS serves its key (checked again now). */
    public void rotate(String domainName, EventMetadata metadata) {
        DomainName name = DomainName.of(domainName);
        if (!settings.enabled()) {
            throw new RuleViolation("dkim-disabled", "DKIM keys are not managed",
                    "This deployment does not manage DKIM keys (mailbox.dkim.enabled is false)");
        }
        // Another rotation or a keeper step may come first: then it decides again on what that one left.
        LostRaces.retried(() -> counted("RotateDkim", () -> QuarkusTransaction.requiringNew().call(() -> {
            dkimQueries.lock(name.name());
            Instant now = now();
            MailDomain domain = load(name).filter(loaded -> metadata.tenantId().equals(loaded.owner()))
                    .orElseThrow(() -> new NotFound("No domain " + domainName));
            domain.rotateDkim(now, settings.retirementHold(), dns, settings.checkInterval());
            save(domain, metadata, now);
            dkimQueries.schedule(name.name(), domain.dkimAttentionAt(now));
            return null;
        })), "The domain's DKIM keys were changed by another request at the same time; try again");
    }

    /**
     * One step for the domain, in the caller's transaction: keys for a domain without them; else the
     * retirement of a replaced key whose time is up, with a fresh key; else the publication (and first
     * activation) of what DNS serves now; else the scheduled rotation when it is due.
     */
    private boolean step(String domainName, Optional<Instant> rotateBefore) {
        Instant now = now();
        if (!dkimQueries.lockIfDue(domainName, now, rotateBefore)) {
            return false;
        }
        Optional<MailDomain> loaded = load(DomainName.of(domainName));
        if (loaded.isEmpty() || !loaded.get().registered()) {
            dkimQueries.schedule(domainName, Optional.empty());
            return false;
        }
        MailDomain domain = loaded.get();
        EventMetadata metadata = new EventMetadata(domain.owner(), KEEPER, UUID.randomUUID().toString());
        DkimKeySource keys = selector -> privateKeys.generate(domainName, selector, domain.owner(), now,
                metadata.traceParent());
        domain.generateDkimKeys(settings.selectors(), keys);
        if (domain.pendingEvents().isEmpty()) {
            domain.retireDueDkimKeys(now, keys);
        }
        if (domain.pendingEvents().isEmpty()) {
            domain.publishServedDkimKeys(dns);
        }
        if (domain.pendingEvents().isEmpty() && rotationDue(domainName, rotateBefore)) {
            try {
                domain.rotateDkim(now, settings.retirementHold(), dns, settings.checkInterval());
            } catch (RuleViolation notReady) {
                // The schedule waits until the standby is ready; the keeper asks again.
            }
        }
        boolean moved = !domain.pendingEvents().isEmpty();
        save(domain, metadata, now);
        // Nothing moved although a step is due (DNS does not serve the key yet): ask again after a
        // check interval, so that the other due domains get their turn first.
        dkimQueries.schedule(domainName, domain.dkimAttentionAt(now)
                .map(at -> moved || at.isAfter(now) ? at : now.plus(settings.checkInterval())));
        return moved;
    }

    private boolean rotationDue(String domainName, Optional<Instant> rotateBefore) {
        return rotateBefore.isPresent() && dkimQueries.domain(domainName).map(view -> view.activatedAt)
                .filter(activatedAt -> !activatedAt.isAfter(rotateBefore.get())).isPresent();
    }

    private Optional<MailDomain> load(DomainName name) {
        List<StoredEvent> history = eventStore.history(StreamId.mailDomain(name.name()));
        if (history.isEmpty()) {
            return Optional.empty();
        }
        // The owner is the latest event's tenant: a name may change hands after a claim expired.
        return Optional.of(MailDomain.fromHistory(name, history.get(history.size() - 1).tenantId,
                history.stream().map(eventStore::toEvent).toList()));
    }

    /** Appends what the domain decided, projects it, and tombstones the private key of each retired key. */
    private void save(MailDomain domain, EventMetadata metadata, Instant now) {
        List<MailboxEvent> events = domain.pendingEvents();
        if (events.isEmpty()) {
            return;
        }
        eventStore.append(StreamId.mailDomain(domain.name().name()), domain.loadedVersion(), events, metadata, now);
        projector.project(metadata.tenantId(), events, domain.loadedVersion() + 1, now);
        for (MailboxEvent event : events) {
            if (event instanceof DkimKeyRetired retired) {
                privateKeys.retire(retired.keyId(), metadata.tenantId(), now, metadata.traceParent());
            }
        }
    }

    private <T> T counted(String commandType, Supplier<T> command) {
        String outcome = "rejected";
        try {
            T result = command.get();
            outcome = "accepted";
            return result;
        } finally {
            meters.counter("mailbox.commands", "type", commandType, "outcome", outcome).increment();
        }
    }

    /** The time of the command, to the microsecond PostgreSQL keeps. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
