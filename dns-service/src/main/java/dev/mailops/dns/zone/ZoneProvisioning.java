package dev.mailops.dns.zone;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import dev.mailops.dns.clients.ClientSettings;
import dev.mailops.dns.provider.MailProfile;
import dev.mailops.dns.zone.rules.ManagedBy;

/**
 * Gives an added domain its zone with the mail records of the deployment's mail profile (MX, SPF, DKIM
 * where the profile has keys, DMARC, the {@code mail} CNAME and the RFC 6186 SRV records) and the client
 * settings' ports.
 */
@ApplicationScoped
public class ZoneProvisioning {

    @Inject
    ZoneStore store;
    @Inject
    MailProfile profile;
    @Inject
    ClientSettings clients;
    @Inject
    Clock clock;

    /**
     * Creates the zone with the provider's records, served only once {@code verified}; false when it
     * exists already (a redelivery). Another tenant's pending zone in its place is a claim that expired
     * (mailbox-service lets another tenant register the name only then) whose DomainClaimExpired has not
     * arrived yet, as it travels on its tenant's partition: it goes, records and all, so it cannot
     * hide the new claim.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean provision(String domain, String tenantId, boolean verified, Instant at) {
        DnsZone existing = store.locked(domain).orElse(null);
        if (existing != null && !formerClaim(existing, tenantId, at)) {
            return false;
        }
        if (existing != null) {
            store.delete(existing);
        }
        DnsZone zone = DnsZone.provisioned(domain, tenantId, verified, at);
        store.insert(zone);
        addProviderRecords(zone, at);
        return true;
    }

    /**
     * Rebuilds the provider's records of an existing zone (a replay), and its verification as the event
     * says, so a later DomainVerified of the replay verifies it again; the serial still only rises.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void reprovision(String domain, String tenantId, boolean verified, Instant at) {
        DnsZone zone = store.locked(domain).orElse(null);
        if (zone == null || formerClaim(zone, tenantId, at)) {
            provision(domain, tenantId, verified, at);
            return;
        }
        if (!zone.tenantId.equals(tenantId)) {
            return; // an older claim of a name another tenant holds now: that tenant's events rebuild the zone
        }
        zone.verified = verified;
        addProviderRecords(zone, at);
        zone.changed(at.isAfter(zone.updatedAt) ? at : clock.instant().truncatedTo(ChronoUnit.MICROS));
        store.save(zone);
    }

    /**
     * The domain is proven: its zone is served from now on (a new serial). False when there is no such
     * zone or it was verified already (a redelivery, or a domain that needed no proof).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean verify(String domain, Instant at) {
        DnsZone zone = store.locked(domain).orElse(null);
        if (zone == null || zone.verified) {
            return false;
        }
        zone.verified = true;
        zone.changed(at.isAfter(zone.updatedAt) ? at : clock.instant().truncatedTo(ChronoUnit.MICROS));
        store.save(zone);
        return true;
    }

    /**
     * The tenant's pending claim of the domain expired: its zone goes with every record in it (the
     * provider's, the tenant's own and its DKIM keys'). False when there is no such zone: a redelivery,
     * a zone that is verified (which never expires) or another tenant's (the next claimant's, whose
     * DomainAdded came first).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean expire(String domain, String tenantId) {
        DnsZone zone = store.locked(domain).orElse(null);
        if (zone == null || zone.verified || !zone.tenantId.equals(tenantId)) {
            return false;
        }
        store.delete(zone);
        return true;
    }

    /**
     * Another tenant's pending zone made before this claim: an expired claim (a verified one never
     * expires, and a name changes hands only after its claim expired). The times are the events',
     * so a replay, which reads the tenants' partitions in any order, decides the same.
     */
    private static boolean formerClaim(DnsZone zone, String claimant, Instant claimedAt) {
        return !zone.verified && !zone.tenantId.equals(claimant) && zone.createdAt.isBefore(claimedAt);
    }

    private void addProviderRecords(DnsZone zone, Instant at) {
        store.insert(profile.records(zone.domain, clients).stream().map(record -> DnsRecord.of(zone, record.name(),
                record.type(), profile.ttl(), record.value(), ManagedBy.PROVIDER, at)).toList());
    }
}
