package dev.mailops.dns.zone;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;

import dev.mailops.dns.provider.MailProfile;
import dev.mailops.dns.zone.rules.DkimRecordRules;
import dev.mailops.dns.zone.rules.TenantRecordRules;

/** The zone rules with the mail profile's SPF terms and TTL, and the zone limits. */
@ApplicationScoped
public class ZoneRulesProducer {

    @Produces
    @Dependent
    TenantRecordRules tenantRecordRules(MailProfile profile, ZoneLimitSettings limits) {
        return new TenantRecordRules(profile.spfTerms(), profile.spfAll(), profile.ttl(), limits.limits());
    }

    @Produces
    @Dependent
    DkimRecordRules dkimRecordRules(MailProfile profile) {
        return new DkimRecordRules(profile.ttl());
    }
}
