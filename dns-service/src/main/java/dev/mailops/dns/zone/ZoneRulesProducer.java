package dev.mailops.dns.zone;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;

import dev.mailops.dns.provider.ProviderProfile;
import dev.mailops.dns.zone.rules.TenantRecordRules;

/** The zone rules with the configured provider's SPF record and default TTL. */
@ApplicationScoped
public class ZoneRulesProducer {

    @Produces
    @Dependent
    TenantRecordRules tenantRecordRules(ProviderProfile provider) {
        return new TenantRecordRules(provider.spfInclude(), provider.spfAll(), provider.ttl());
    }
}
