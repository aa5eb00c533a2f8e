package dev.mailops.dns.zone;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import dev.mailops.dns.clients.ClientSettings;
import dev.mailops.dns.provider.MailProfile;
import dev.mailops.dns.provider.ProvidedRecord;
import dev.mailops.dns.zone.rules.ManagedBy;

/**
 * Gives an added domain its zone with the mail records of the deployment's mail profile (MX, SPF, DKIM
 * where the profile has keys, DMARC, the {@code mail} CNAME and the RFC 6186 SRV records) and the client
 * settings' ports.
 */
@ApplicationScoped
public class ZoneProvisioning {

    @Inject
    EntityManager entityManager;
    @Inject
    MailProfile profile;
    @Inject
    ClientSettings clients;
    @Inject
    Clock clock;

    /**
     * Creates the zone with the provider's records, served only once {@code verified}; false when it
     * exists already (a redelivery).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean provision(String domain, String tenantId, boolean verified, Instant at) {
        if (entityManager.find(DnsZone.class, domain) != null) {
            return false;
        }
        DnsZone zone = DnsZone.provisioned(domain, tenantId, verified, at);
        entityManager.persist(zone);
        addProviderRecords(zone, at);
        return true;
    }

    /**
     * Rebuilds the provider's records of an existing zone (a replay), and its verification as the event
     * says, so a later DomainVerified of the replay verifies it again; the serial still only rises.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void reprovision(String domain, String tenantId, boolean verified, Instant at) {
        DnsZone zone = entityManager.find(DnsZone.class, domain, LockModeType.PESSIMISTIC_WRITE);
        if (zone == null) {
            provision(domain, tenantId, verified, at);
            return;
        }
        zone.verified = verified;
        addProviderRecords(zone, at);
        zone.changed(at.isAfter(zone.updatedAt) ? at : clock.instant().truncatedTo(ChronoUnit.MICROS));
    }

    /**
     * The domain is proven: its zone is served from now on (a new serial). False when there is no such
     * zone or it was verified already (a redelivery, or a domain that needed no proof).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean verify(String domain, Instant at) {
        DnsZone zone = entityManager.find(DnsZone.class, domain, LockModeType.PESSIMISTIC_WRITE);
        if (zone == null || zone.verified) {
            return false;
        }
        zone.verified = true;
        zone.changed(at.isAfter(zone.updatedAt) ? at : clock.instant().truncatedTo(ChronoUnit.MICROS));
        return true;
    }

    private void addProviderRecords(DnsZone zone, Instant at) {
        for (ProvidedRecord record : profile.records(zone.domain, clients)) {
            entityManager.persist(DnsRecord.of(zone, record.name(), record.type(), profile.ttl(), record.value(),
                    ManagedBy.PROVIDER, at));
        }
    }
}
