package dev.mailops.dns.zone;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Type;

import dev.mailops.dns.clients.ClientSettings;
import dev.mailops.dns.provider.ProviderProfile;
import dev.mailops.kit.errors.ConflictException;
import dev.mailops.kit.errors.FieldErrors;
import dev.mailops.kit.errors.InvalidValueException;
import dev.mailops.kit.errors.NotFoundException;

/**
 * The zones and their records: provisioning a domain with the provider's mail records, and the
 * tenant's own records through the domain assistant. Every change raises the zone's serial.
 */
@ApplicationScoped
public class ZoneStore {

    /** Types a tenant may add (the domain assistant's "Configure TXT Records", and what mail setups need). */
    public static final Set<String> TENANT_TYPES = Set.of("A", "AAAA", "CNAME", "MX", "TXT", "SRV", "CAA");

    /** What the domain assistant takes: a blank source means the apex. */
    public record NewRecord(String source, String type, String value, Integer ttl) {
    }

    @Inject
    EntityManager entityManager;
    @Inject
    ProviderProfile provider;
    @Inject
    ClientSettings clients;

    /** Creates the zone with the provider's records; false when it exists already (a redelivery). */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean provision(String domain, String tenantId, Instant at) {
        if (entityManager.find(DnsZone.class, domain) != null) {
            return false;
        }
        DnsZone zone = new DnsZone();
        zone.domain = domain;
        zone.tenantId = tenantId;
        zone.serial = 1;
        zone.createdAt = at;
        zone.updatedAt = at;
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
        changed(zone, at.isAfter(zone.updatedAt) ? at : Instant.now().truncatedTo(ChronoUnit.MICROS));
    }

    private void addProviderRecords(DnsZone zone, Instant at) {
        int ttl = provider.ttl();
        List<DnsRecord> records = new ArrayList<>();
        for (String mx : provider.mx()) {
            records.add(DnsRecord.of(zone, "@", "MX", ttl, mx, DnsRecord.ManagedBy.PROVIDER, at));
        }
        records.add(DnsRecord.of(zone, "@", "TXT", ttl, "v=spf1 include:" + provider.spfInclude() + " " + provider.spfAll(),
                DnsRecord.ManagedBy.PROVIDER, at));
        provider.dkim().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey()).forEach(dkim -> records.add(
                DnsRecord.of(zone, dkim.getKey() + "._domainkey", "TXT", ttl, dkim.getValue(),
                        DnsRecord.ManagedBy.PROVIDER, at)));
        records.add(DnsRecord.of(zone, "_dmarc", "TXT", ttl, "v=DMARC1; p=" + provider.dmarcPolicy()
                + provider.dmarcReports().map(uri -> "; rua=" + uri).orElse(""), DnsRecord.ManagedBy.PROVIDER, at));
        String mailHost = clients.server(zone.domain);
        String relativeMail = mailHost.endsWith("." + zone.domain) ? mailHost.substring(0,
                mailHost.length() - zone.domain.length() - 1) : null;
        if (relativeMail != null) {
            records.add(DnsRecord.of(zone, relativeMail, "CNAME", ttl, absolute(provider.mailHost()),
                    DnsRecord.ManagedBy.PROVIDER, at));
        }
        // RFC 6186 service records, ports as in the manual's client settings. The target is the provider's
        // host itself: RFC 2782 forbids an alias (such as the mail.<domain> CNAME) as an SRV target.
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
                DnsRecord.ManagedBy.PROVIDER, at);
    }

    /** Adds a tenant record after checking name, type and data; returns it. */
    @Transactional
    public DnsRecord add(String domain, String tenantId, NewRecord input) {
        if (input == null) {
            throw dev.mailops.kit.errors.ValidationException.of("body", "a JSON object is required");
        }
        DnsZone zone = lockOwn(domain, tenantId);
        Name origin = ZoneRecords.origin(domain);
        FieldErrors errors = new FieldErrors();
        String name = errors.check("source", () -> {
            if (input.source() != null && input.source().chars().anyMatch(Character::isISOControl)) {
                throw new dev.mailops.kit.errors.InvalidValueException("must not contain control characters");
            }
            return relativeName(origin, input.source());
        });
        String type = errors.check("type", () -> type(input.type()));
        int ttl = input.ttl() == null ? provider.ttl() : input.ttl();
        boolean ttlValid = ttl >= 60 && ttl <= 604_800;
        if (!ttlValid) {
            errors.add("ttl", "must be 60 to 604800 seconds");
        }
        String value = input.value() == null ? null : input.value().strip();
        if (value == null || value.isEmpty()) {
            errors.add("value", "must not be blank");
        } else if (value.chars().anyMatch(Character::isISOControl)) {
            // PostgreSQL text cannot hold NUL; presentation format writes such bytes as \DDD anyway
            errors.add("value", "must not contain control characters; write them as \\DDD escapes");
        } else if (name != null && type != null && ttlValid) {
            errors.check("value", () -> {
                Record parsed = ZoneRecords.toRecord(origin, name, type, ttl, value);
                return parsed;
            });
        }
        errors.throwIfAny();
        List<DnsRecord> existing = records(domain);
        if (type.equals("CNAME")) {
            if (name.equals("@")) {
                throw dev.mailops.kit.errors.ValidationException.of("source",
                        "the zone apex cannot be a CNAME (RFC 1034: it has SOA and NS records)");
            }
            if (existing.stream().anyMatch(r -> r.name.equalsIgnoreCase(name))) {
                throw new ConflictException("cname-conflict", "CNAME conflicts with other records",
                        name + " already has records; a CNAME must be the only record of its name");
            }
        } else if (existing.stream().anyMatch(r -> r.name.equalsIgnoreCase(name) && r.type.equals("CNAME"))) {
            throw new ConflictException("cname-conflict", "CNAME conflicts with other records",
                    name + " is a CNAME; it cannot have other records");
        }
        if (type.equals("TXT") && name.equals("@") && Spf.isSpf(value)) {
            if (existing.stream().anyMatch(r -> r.managedBy == DnsRecord.ManagedBy.TENANT && r.name.equals("@")
                    && r.type.equals("TXT") && Spf.isSpf(r.value))) {
                throw new ConflictException("spf-exists", "The domain has an SPF record",
                        "A domain has exactly one SPF record; delete your SPF record first to replace it");
            }
            FieldErrors spf = new FieldErrors();
            spf.check("value", () -> {
                Spf.check(provider.spfInclude(), provider.spfAll(), value);
                return null;
            });
            spf.throwIfAny();
        }
        if (existing.stream().anyMatch(r -> r.name.equalsIgnoreCase(name) && r.type.equals(type)
                && r.value.equals(value))) {
            throw new ConflictException("record-exists", "Record exists", "The zone has this record already");
        }
        Instant now = now();
        DnsRecord record = DnsRecord.of(zone, name, type, ttl, value, DnsRecord.ManagedBy.TENANT, now);
        entityManager.persist(record);
        changed(zone, now);
        return record;
    }

    /** Removes one of the tenant's own records; the provider's cannot be removed here. */
    @Transactional
    public void remove(String domain, String tenantId, long recordId) {
        DnsZone zone = lockOwn(domain, tenantId);
        DnsRecord record = entityManager.find(DnsRecord.class, recordId);
        if (record == null || !record.domain.equals(zone.domain)) {
            throw new NotFoundException("No record " + recordId + " in " + domain);
        }
        if (record.managedBy == DnsRecord.ManagedBy.PROVIDER) {
            throw new ConflictException("provider-record", "Provider record",
                    "This record is set by the mail provider; mail would stop working without it");
        }
        entityManager.remove(record);
        changed(zone, now());
    }

    public Optional<DnsZone> zone(String domain) {
        return Optional.ofNullable(entityManager.find(DnsZone.class, domain));
    }

    /** The tenant's zone, or 404 for a zone that is unknown or another tenant's. */
    public DnsZone own(String domain, String tenantId) {
        String normalised = domain == null ? "" : domain.toLowerCase(Locale.ROOT);
        return zone(normalised).filter(zone -> zone.tenantId.equals(tenantId))
                .orElseThrow(() -> new NotFoundException("No domain " + domain));
    }

    public List<DnsRecord> records(String domain) {
        return entityManager.createQuery("from DnsRecord r where r.domain = :domain order by r.managedBy, r.name, r.type, r.id",
                DnsRecord.class).setParameter("domain", domain).getResultList();
    }

    public List<DnsZone> zones() {
        return entityManager.createQuery("from DnsZone z order by z.domain", DnsZone.class).getResultList();
    }

    private DnsZone lockOwn(String domain, String tenantId) {
        DnsZone zone = own(domain, tenantId);
        entityManager.lock(zone, LockModeType.PESSIMISTIC_WRITE);
        return zone;
    }

    private static void changed(DnsZone zone, Instant now) {
        zone.serial++;
        zone.updatedAt = now;
    }

    private static String relativeName(Name origin, String source) {
        Name name = ZoneRecords.name(origin, source);
        return name.equals(origin) ? "@" : name.relativize(origin).toString();
    }

    private static String type(String type) {
        String upper = type == null ? "" : type.strip().toUpperCase(Locale.ROOT);
        if (!TENANT_TYPES.contains(upper) || Type.value(upper) < 0) {
            throw new InvalidValueException("must be one of " + new java.util.TreeSet<>(TENANT_TYPES));
        }
        return upper;
    }

    private static String absolute(String host) {
        return host.endsWith(".") ? host : host + ".";
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
