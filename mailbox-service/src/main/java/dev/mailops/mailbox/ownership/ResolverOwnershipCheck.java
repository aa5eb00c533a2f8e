package dev.mailops.mailbox.ownership;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.mailops.mailbox.dns.DnsServer;
import dev.mailops.mailbox.dns.TxtLookup;
import dev.mailops.mailbox.domain.OwnershipDns;

/**
 * Looks for a domain's proof record through the configured resolvers: only when every one of them
 * answers with a TXT record of exactly that value is the domain proven, so one poisoned or stale
 * resolver cannot prove a domain alone.
 */
@ApplicationScoped
public class ResolverOwnershipCheck implements OwnershipDns {

    private static final Logger LOG = Logger.getLogger(ResolverOwnershipCheck.class);

    @Inject
    DomainVerificationSettings settings;

    @Override
    public boolean publishes(String name, String value) {
        for (DnsServer resolver : settings.resolvers()) {
            if (!TxtLookup.txt(resolver, name, settings.timeout()).contains(value)) {
                LOG.debugf("%s does not answer the proof record at %s", resolver, name);
                return false;
            }
        }
        return !settings.resolvers().isEmpty();
    }
}
