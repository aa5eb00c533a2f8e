package dev.mailops.mailbox.command;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;

import dev.mailops.mailbox.dkim.DkimSettings;

/**
 * The DKIM key keeper: every mailbox.dkim.check-interval, when mailbox.dkim.enabled, it takes the
 * due step of each domain whose DKIM agenda says so (keys to generate, to see published, the first
 * selector to activate, a replaced key to retire, a scheduled rotation). It keeps no state of its
 * own: the event store and its read models are its memory, so it carries on after a restart, and
 * several instances share the work (a locked agenda row, the stream's version) without repeating it.
 */
@ApplicationScoped
public class DkimKeyKeeper {

    private static final Logger LOG = Logger.getLogger(DkimKeyKeeper.class);

    @Inject
    DkimCommands commands;
    @Inject
    DkimSettings settings;

    @ConfigProperty(name = "mailbox.dkim.batch-size", defaultValue = "100")
    int batchSize;

    @Scheduled(identity = "dkim-key-keeper", every = "${mailbox.dkim.check-interval:2s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void keepKeys() {
        if (!settings.enabled()) {
            return;
        }
        int moved = commands.keepDueDomains(batchSize);
        if (moved > 0) {
            LOG.debugf("DKIM: %d domains moved a step", moved);
        }
    }
}
