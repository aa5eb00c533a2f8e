package dev.mailops.mailhost.hosting;

import java.util.concurrent.CompletableFuture;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;

import dev.mailops.consumer.CloudEvent;
import dev.mailops.consumer.CloudEventReader;
import dev.mailops.consumer.PoisonRecordException;
import dev.mailops.consumer.ProcessedEvents;
import dev.mailops.consumer.Projection;
import dev.mailops.mailhost.dkim.DkimKeyWriter;
import dev.mailops.mailhost.dkim.DkimTables;
import dev.mailops.mailhost.hosting.MailboxEvents.AliasAdded;
import dev.mailops.mailhost.hosting.MailboxEvents.AliasRemoved;
import dev.mailops.mailhost.hosting.MailboxEvents.DkimKeyGenerated;
import dev.mailops.mailhost.hosting.MailboxEvents.DkimKeyPublished;
import dev.mailops.mailhost.hosting.MailboxEvents.DkimKeyRetired;
import dev.mailops.mailhost.hosting.MailboxEvents.DkimSelectorActivated;
import dev.mailops.mailhost.hosting.MailboxEvents.DomainAdded;
import dev.mailops.mailhost.hosting.MailboxEvents.DomainClaimExpired;
import dev.mailops.mailhost.hosting.MailboxEvents.DomainVerified;
import dev.mailops.mailhost.hosting.MailboxEvents.MailboxCreated;
import dev.mailops.mailhost.hosting.MailboxEvents.MailboxDeleted;
import dev.mailops.mailhost.hosting.MailboxEvents.RateChanged;
import dev.mailops.mailhost.hosting.rules.HostedMailbox;
import dev.mailops.mailhost.hosting.rules.MailHostRules;
import dev.mailops.mailhost.hosting.rules.UnknownRateException;
import dev.mailops.mailhost.removal.MailRemovals;

/**
 * Keeps the mail host's tables from mailbox.events, each event exactly once ({@link ProcessedEvents}).
 * Data the mail host cannot serve (an unknown rate, a mailbox at a domain it never saw, an address
 * another mailbox has) is refused before anything is written, as a poison record: the live consumer
 * dead-letters it, a replay skips it, and both leave the same state.
 */
@ApplicationScoped
public class MailHostProjection implements Projection {

    private static final Logger LOG = Logger.getLogger(MailHostProjection.class);

    @Inject
    CloudEventReader reader;
    @Inject
    ProcessedEvents processedEvents;
    @Inject
    MailHostTables tables;
    @Inject
    CatalogRates rates;
    @Inject
    MailRemovals removals;
    @Inject
    DkimTables dkim;
    @Inject
    DkimKeyWriter keyWriter;
    @Inject
    MeterRegistry meters;

    @Override
    public AfterCommit apply(CloudEvent event) {
        if (!applyOnce(event)) {
            return AfterCommit.NOTHING;
        }
        if ("MailboxDeleted".equals(event.type())) {
            return () -> {
                removals.wake(); // remove the mail now rather than at the next scheduled round
                return CompletableFuture.completedFuture(null);
            };
        }
        if (MailboxEvents.DKIM_TYPES.contains(event.type())) {
            return () -> {
                keyWriter.wake(); // the signer's keys now rather than at the next scheduled round
                return CompletableFuture.completedFuture(null);
            };
        }
        return AfterCommit.NOTHING;
    }

    /** Applies the event once, inside the caller's transaction; false for a redelivery or a type it ignores. */
    public boolean applyOnce(CloudEvent event) {
        // A redelivery is recognised before the checks: they judge the event against today's state, which
        // may already hold what came after it (a mailbox deleted and created again at the same address).
        if (!MailboxEvents.HANDLED_TYPES.contains(event.type()) || tables.processed(event.id())) {
            return false;
        }
        Runnable change = changeFor(event);
        if (!processedEvents.firstDelivery(event)) {
            return false;
        }
        change.run();
        meters.counter("mailhost.events.applied", "type", event.type()).increment();
        return true;
    }

    /** What the event changes, checked before anything is written. */
    private Runnable changeFor(CloudEvent event) {
        MailHostRules rules = new MailHostRules(rates);
        try {
            return switch (event.type()) {
                case "DomainAdded" -> {
                    DomainAdded added = reader.data(event, DomainAdded.class);
                    yield () -> tables.addDomain(added.domain(), event.tenantId(), added.verified(), event.time());
                }
                case "DomainVerified" -> {
                    DomainVerified verified = reader.data(event, DomainVerified.class);
                    yield () -> tables.verifyDomain(verified.domain());
                }
                case "DomainClaimExpired" -> {
                    DomainClaimExpired expired = reader.data(event, DomainClaimExpired.class);
                    yield () -> tables.expireDomain(expired.domain(), event.tenantId());
                }
                case "MailboxCreated" -> {
                    MailboxCreated created = reader.data(event, MailboxCreated.class);
                    HostedMailbox mailbox = rules.created(created.mailboxId(), event.tenantId(), created.address(),
                            created.rate(), created.forwardTo(), created.keepCopy());
                    if (!tables.domainExists(mailbox.domain())) {
                        throw new PoisonRecordException("MailboxCreated " + created.mailboxId() + " at the domain "
                                + mailbox.domain() + ", which no DomainAdded announced");
                    }
                    tables.mailboxAt(mailbox.address()).filter(other -> !other.equals(mailbox.id())).ifPresent(other -> {
                        throw new PoisonRecordException("MailboxCreated " + mailbox.id() + " at " + mailbox.address()
                                + ", which the mailbox " + other + " has");
                    });
                    yield () -> tables.createMailbox(mailbox, event.time());
                }
                case "AliasAdded" -> {
                    AliasAdded added = reader.data(event, AliasAdded.class);
                    yield () -> {
                        if (!tables.addAlias(added.mailboxId(), added.alias(), event.time())) {
                            LOG.warnf("AliasAdded %s: the mailbox %s is not here or the alias is taken; ignored",
                                    event.id(), added.mailboxId());
                        }
                    };
                }
                case "AliasRemoved" -> {
                    AliasRemoved removed = reader.data(event, AliasRemoved.class);
                    yield () -> tables.removeAlias(removed.mailboxId(), removed.alias());
                }
                case "RateChanged" -> {
                    RateChanged changed = reader.data(event, RateChanged.class);
                    long quota = rules.quotaBytes(changed.rate());
                    yield () -> {
                        if (!tables.changeRate(changed.mailboxId(), changed.rate(), quota, event.time())) {
                            LOG.warnf("RateChanged %s: the mailbox %s is not here; ignored", event.id(), changed.mailboxId());
                        }
                    };
                }
                case "MailboxDeleted" -> {
                    MailboxDeleted deleted = reader.data(event, MailboxDeleted.class);
                    String maildir = MailHostRules.maildir(deleted.address());
                    yield () -> tables.deleteMailbox(deleted.mailboxId(), deleted.address(), maildir, event.time());
                }
                case "DkimKeyGenerated" -> {
                    DkimKeyGenerated generated = reader.data(event, DkimKeyGenerated.class);
                    yield () -> dkim.keyGenerated(generated.domain(), generated.selector(), generated.keyId(),
                            generated.algorithm(), generated.record(), event.time());
                }
                case "DkimKeyPublished" -> {
                    DkimKeyPublished published = reader.data(event, DkimKeyPublished.class);
                    yield () -> dkim.keyPublished(published.keyId(), event.time());
                }
                case "DkimSelectorActivated" -> {
                    DkimSelectorActivated activated = reader.data(event, DkimSelectorActivated.class);
                    yield () -> dkim.selectorActivated(activated.domain(), activated.keyId(),
                            activated.previousKeyRetiresAt(), event.time());
                }
                case "DkimKeyRetired" -> {
                    DkimKeyRetired retired = reader.data(event, DkimKeyRetired.class);
                    yield () -> dkim.keyRetired(retired.keyId());
                }
                default -> throw new IllegalArgumentException("not a handled type: " + event.type());
            };
        } catch (UnknownRateException e) {
            throw new PoisonRecordException(event.type() + " " + event.id() + ": " + e.getMessage(), e);
        }
    }
}
