package dev.mailops.mailbox.command;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;

import dev.mailops.mailbox.domain.DomainOwnership;
import dev.mailops.mailbox.ownership.DomainVerificationSettings;

/**
 * Every mailbox.domain-verification.check-interval, looks for the proof record of the pending domains
 * whose check is due, so a tenant who created the record need not come back to ask, and ends the
 * claims not proven in time. Like the DKIM key
 * keeper it keeps no state of its own (the due time is in the domains' read model) and several
 * instances share the work through row locks.
 */
@ApplicationScoped
public class DomainVerificationChecker {

    private static final Logger LOG = Logger.getLogger(DomainVerificationChecker.class);

    @Inject
    MailboxCommands commands;
    @Inject
    DomainVerificationSettings settings;

    @ConfigProperty(name = "mailbox.domain-verification.batch-size", defaultValue = "50")
    int batchSize;

    @Scheduled(identity = "domain-verification", every = "${mailbox.domain-verification.check-interval:PT1M}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void checkPendingDomains() {
        if (settings.policy() != DomainOwnership.DNS_TXT) {
            return;
        }
        int verified = commands.verifyDueDomains(batchSize);
        if (verified > 0) {
            LOG.infof("%d domains verified by their TXT record", verified);
        }
    }

    /**
     * Ends the pending claims not proven within mailbox.domain-verification.claim-lifetime, so a name
     * registered by someone who cannot prove it does not keep its owner out for ever. Under policy
     * none every domain is verified when registered, so there is nothing to expire.
     */
    @Scheduled(identity = "domain-claim-expiry", every = "${mailbox.domain-verification.check-interval:PT1M}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void expireStaleClaims() {
        if (settings.policy() != DomainOwnership.DNS_TXT) {
            return;
        }
        int expired = commands.expireStaleClaims(batchSize);
        if (expired > 0) {
            LOG.infof("%d pending domain claims expired unproven", expired);
        }
    }
}
