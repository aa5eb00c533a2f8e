package dev.mailops.mailbox.query;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import dev.mailops.mailbox.domain.event.AddressReleased;
import dev.mailops.mailbox.domain.event.AliasAdded;
import dev.mailops.mailbox.domain.event.AliasRemoved;
import dev.mailops.mailbox.domain.event.DkimKeyGenerated;
import dev.mailops.mailbox.domain.event.DkimKeyPublished;
import dev.mailops.mailbox.domain.event.DkimKeyRetired;
import dev.mailops.mailbox.domain.event.DkimSelectorActivated;
import dev.mailops.mailbox.domain.event.DomainAdded;
import dev.mailops.mailbox.domain.event.DomainClaimExpired;
import dev.mailops.mailbox.domain.event.DomainVerified;
import dev.mailops.mailbox.domain.event.FeeChanged;
import dev.mailops.mailbox.domain.event.MailboxCreated;
import dev.mailops.mailbox.domain.event.MailboxDeleted;
import dev.mailops.mailbox.domain.event.MailboxEvent;
import dev.mailops.mailbox.domain.event.PasswordChanged;
import dev.mailops.mailbox.domain.event.RateChanged;

/**
 * Keeps the read models in step with the event store. It runs inside the appending transaction,
 * so a query right after a command always sees the command's effect.
 */
@ApplicationScoped
public class Projector {

    @Inject
    EntityManager entityManager;

    @Transactional(Transactional.TxType.MANDATORY)
    public void project(String tenantId, MailboxEvent event, int streamVersion, Instant occurredAt) {
        if (event instanceof DomainAdded added) {
            MailDomainView domain = new MailDomainView();
            domain.domain = added.domain();
            domain.tenantId = tenantId;
            domain.addedAt = occurredAt;
            domain.verificationToken = added.verificationToken();
            if (added.verificationToken() == null) {
                domain.verifiedAt = occurredAt;
            } else {
                domain.nextVerificationAt = occurredAt;
            }
            entityManager.persist(domain);
            // A new domain has no DKIM keys: the key keeper's first step for it is due now.
            DkimDomainView dkim = new DkimDomainView();
            dkim.domain = added.domain();
            dkim.tenantId = tenantId;
            dkim.nextStepAt = occurredAt;
            entityManager.persist(dkim);
        } else if (event instanceof DomainVerified verified) {
            MailDomainView domain = entityManager.find(MailDomainView.class, verified.domain());
            domain.verificationMethod = verified.method();
            domain.verifiedAt = occurredAt;
            domain.nextVerificationAt = null;
        } else if (event instanceof DomainClaimExpired expired) {
            // The claim ends: the name leaves the cross-tenant index, and the key keeper's agenda.
            MailDomainView domain = entityManager.find(MailDomainView.class, expired.domain());
            if (domain != null) {
                entityManager.remove(domain);
            }
            DkimDomainView dkim = entityManager.find(DkimDomainView.class, expired.domain());
            if (dkim != null) {
                entityManager.remove(dkim);
            }
        } else if (event instanceof MailboxCreated created) {
            MailboxView mailbox = new MailboxView();
            mailbox.mailboxId = created.mailboxId();
            mailbox.tenantId = tenantId;
            mailbox.address = created.address();
            mailbox.localPart = created.localPart();
            mailbox.domain = created.domain();
            mailbox.firstName = created.firstName();
            mailbox.lastName = created.lastName();
            mailbox.systemUserId = created.systemUserId();
            mailbox.forwardTo = new ArrayList<>(created.forwardTo());
            mailbox.keepCopy = created.keepCopy();
            mailbox.rate = created.rate();
            mailbox.createdAt = occurredAt;
            mailbox.version = streamVersion;
            entityManager.persist(mailbox);
        } else if (event instanceof AliasAdded added) {
            MailboxView mailbox = entityManager.find(MailboxView.class, added.mailboxId());
            AliasView alias = new AliasView();
            alias.address = added.alias();
            alias.mailbox = mailbox;
            alias.tenantId = tenantId;
            alias.createdAt = occurredAt;
            mailbox.aliases.add(alias);
            mailbox.version = streamVersion;
        } else if (event instanceof AliasRemoved removed) {
            MailboxView mailbox = entityManager.find(MailboxView.class, removed.mailboxId());
            mailbox.aliases.removeIf(alias -> alias.address.equals(removed.alias()));
            mailbox.version = streamVersion;
        } else if (event instanceof MailboxDeleted deleted) {
            MailboxView mailbox = entityManager.find(MailboxView.class, deleted.mailboxId());
            entityManager.remove(mailbox);
        } else if (event instanceof FeeChanged changed) {
            TenantSettingsView settings = entityManager.find(TenantSettingsView.class, tenantId);
            boolean first = settings == null;
            if (first) {
                settings = new TenantSettingsView();
                settings.tenantId = tenantId;
            }
            settings.basicFeePlan = changed.newPlan();
            settings.changedAt = occurredAt;
            if (first) {
                entityManager.persist(settings);
            }
        } else if (event instanceof RateChanged changed) {
            MailboxView mailbox = entityManager.find(MailboxView.class, changed.mailboxId());
            mailbox.rate = changed.rate();
            mailbox.version = streamVersion;
        } else if (event instanceof PasswordChanged changed) {
            // The view shows no password; it only moves its version.
            entityManager.find(MailboxView.class, changed.mailboxId()).version = streamVersion;
        } else if (event instanceof AddressReleased released) {
            // The address registry answers address queries; a live mailbox only moves its version.
            MailboxView mailbox = entityManager.find(MailboxView.class, released.mailboxId());
            if (mailbox != null) {
                mailbox.version = streamVersion;
            }
        } else if (event instanceof DkimKeyGenerated generated) {
            DkimKeyView key = new DkimKeyView();
            key.keyId = generated.keyId();
            key.domain = generated.domain();
            key.selector = generated.selector();
            key.algorithm = generated.algorithm();
            key.publicKey = generated.publicKey();
            key.record = generated.record();
            key.state = DkimKeyView.State.GENERATED;
            key.generatedAt = occurredAt;
            entityManager.persist(key);
        } else if (event instanceof DkimKeyPublished published) {
            DkimKeyView key = entityManager.find(DkimKeyView.class, published.keyId());
            key.state = DkimKeyView.State.PUBLISHED;
            key.publishedAt = occurredAt;
        } else if (event instanceof DkimSelectorActivated activated) {
            DkimKeyView key = entityManager.find(DkimKeyView.class, activated.keyId());
            key.state = DkimKeyView.State.ACTIVE;
            key.activatedAt = occurredAt;
            if (activated.previousKeyId() != null) {
                DkimKeyView previous = entityManager.find(DkimKeyView.class, activated.previousKeyId());
                previous.state = DkimKeyView.State.RETIRING;
                previous.retiresAt = activated.previousKeyRetiresAt();
            }
            DkimDomainView domain = entityManager.find(DkimDomainView.class, activated.domain());
            domain.activeSelector = activated.selector();
            domain.activatedAt = occurredAt;
        } else if (event instanceof DkimKeyRetired retired) {
            DkimKeyView key = entityManager.find(DkimKeyView.class, retired.keyId());
            if (key != null) {
                entityManager.remove(key);
                // The fresh key under the same selector follows in this transaction: delete first.
                entityManager.flush();
            }
        } else {
            throw new IllegalArgumentException("No projection for " + event.type());
        }
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void project(String tenantId, List<MailboxEvent> events, int firstVersion, Instant occurredAt) {
        int version = firstVersion;
        for (MailboxEvent event : events) {
            project(tenantId, event, version++, occurredAt);
        }
    }
}
