package dev.mailops.mailbox.command;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;


/**
 * Releases quarantined addresses once their 48 hours (mailbox.address-quarantine) are over. Several
 * instances may run it at once: each batch locks its rows with SKIP LOCKED and deletes them in the
 * transaction that appends AddressReleased, so every release happens exactly once.
 */
@ApplicationScoped
public class AddressReleaseScheduler {

    private static final Logger LOG = Logger.getLogger(AddressReleaseScheduler.class);

    @Inject
    MailboxCommands commands;

    @ConfigProperty(name = "mailbox.address-release.batch-size", defaultValue = "200")
    int batchSize;

    @Scheduled(identity = "address-release", every = "${mailbox.address-release.interval:30s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void releaseDueAddresses() {
        int released;
        do {
            released = commands.releaseDueAddresses(batchSize);
            if (released > 0) {
                LOG.infof("Released %d quarantined addresses", released);
            }
        } while (released == batchSize);
    }
}
