package dev.mailops.dns.zone;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import dev.mailops.dns.clients.ClientSettings;
import dev.mailops.dns.provider.ProviderProfile;
import dev.mailops.dns.zone.rules.ManagedBy;

/**
 * Gives an added domain its zone with the mail provider's records (MX, SPF, DKIM, DMARC, the
 * {@code mail} CNAME and the RFC 6186 SRV records), from the provider profile and the client settings.
 */
@ApplicationScoped
public class ZoneProvisioning {

    @Inject
    EntityManager entityManager;
    @Inject
    ProviderProfile provider;
    @Inject
    ClientSettings clients;
    @Inject
    Clock clock;

    /** Creates the zone with the provider's records; false when it exists already (a redelivery). */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean provision(String domain, String tenantId, Instant at) {
        if (entityManager.find(DnsZone.class, domain) != null) {
            return false;
        }
        DnsZone zone = DnsZone.provisioned(domain, tenantId, at);
        entityManager.persist(zone);
        addProviderRecords(zone, at);
        return true;
    }

    /** Rebuilds the provider's records of an existing zone (a replay); the serial still only rises. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void reprovision(String domain, String tenantId, Instant at) {
        DnsZone zone = entityManager.find(DnsZone.class, domain, LockModeType.PESSIMISTIC_WRITE);
        if (zone == null) {
            provision(domain, tenantId, at);
            return;
        }
        addProviderRecords(zone, at);
        zone.changed(at.isAfter(zone.updatedAt) ? at : clock.instant().truncatedTo(ChronoUnit.MICROS));
    }

    private void addProviderRecords(DnsZone zone, Instant at) {
        int ttl = provider.ttl();
        List<DnsRecord> records = new ArrayList<>();
        for (String mx : provider.mx()) {
            records.add(DnsRecord.of(zone, "@", "MX", ttl, mx, ManagedBy.PROVIDER, at));
        }
        records.add(DnsRecord.of(zone, "@", "TXT", ttl, "v=spf1 include:" + provider.spfInclude() + " " + provider.spfAll(),
                ManagedBy.PROVIDER, at));
        provider.dkim().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(dkim -> records.add(
                DnsRecord.of(zone, dkim.getKey() + "._domainkey", "TXT", ttl, dkim.getValue(), ManagedBy.PROVIDER, at)));
        records.add(DnsRecord.of(zone, "_dmarc", "TXT", ttl, "v=DMARC1; p=" + provider.dmarcPolicy()
                + provider.dmarcReports().map(uri -> "; rua=" + uri).orElse(""), ManagedBy.PROVIDER, at));
        String mailHost = clients.server(zone.domain);
        String relativeMail = mailHost.endsWith("." + zone.domain) ? mailHost.substring(0,
                mailHost.length() - zone.domain.length() - 1) : null;
        if (relativeMail != null) {
            records.add(DnsRecord.of(zone, relativeMail, "CNAME", ttl, absolute(provider.mailHost()),
                    ManagedBy.PROVIDER, at));
        }
        // RFC 6186 service records on the client settings' ports. The target is the provider's host
        // itself: RFC 2782 forbids an alias (such as the mail.<domain> CNAME) as an SRV target.
        String target = absolute(provider.mailHost());
        records.add(srv(zone, "_imaps._tcp", 0, clients.ssl().imap(), target, at));
        records.add(srv(zone, "_imap._tcp", 10, clients.starttls().imap(), target, at));
        records.add(srv(zone, "_pop3s._tcp", 20, clients.ssl().pop3(), target, at));
        records.add(srv(zone, "_pop3._tcp", 30, clients.starttls().pop3(), target, at));
        records.add(srv(zone, "_submission._tcp", 0, clients.ssl().smtp(), target, at));
        records.forEach(entityManager::persist);
    }

    private DnsRecord srv(DnsZone zone, String name, int priority, int port, String target, Instant at) {
        return DnsRecord.of(zone, name, "SRV", provider.ttl(), priority + " 1 " + port + " " + target,
                ManagedBy.PROVIDER, at);
    }

    private static String absolute(String host) {
        return host.endsWith(".") ? host : host + ".";
    }
}
