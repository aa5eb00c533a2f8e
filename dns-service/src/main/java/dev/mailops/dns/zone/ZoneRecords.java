package dev.mailops.dns.zone;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.xbill.DNS.DClass;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.TextParseException;

import dev.mailops.dns.provider.MailProfile;
import dev.mailops.dns.zone.rules.RecordSyntax;
import dev.mailops.dns.zone.rules.TenantRecordRules;
import dev.mailops.dns.zone.rules.ZoneEntry;

/**
 * Turns a zone's stored records into the record set it serves: SOA and NS, then the stored records as
 * {@link TenantRecordRules} serve them (one SPF record at the apex). TXT data longer
 * than 255 bytes is split into character-strings as the wire format requires.
 */
@ApplicationScoped
public class ZoneRecords {

    @Inject
    MailProfile profile;
    @Inject
    TenantRecordRules rules;

    @ConfigProperty(name = "dns.nameservers")
    List<String> nameservers;

    @ConfigProperty(name = "dns.soa.hostmaster", defaultValue = "hostmaster.mailops.local.")
    String hostmaster;

    public List<Record> served(DnsZone zone, List<DnsRecord> stored) {
        return served(zone.domain, zone.serial, stored);
    }

    /** The record set of the zone of {@code domain} at {@code serial}. */
    public List<Record> served(String domain, long serial, List<DnsRecord> stored) {
        Name origin = RecordSyntax.origin(domain);
        List<Record> records = new ArrayList<>();
        records.add(new SOARecord(origin, DClass.IN, profile.ttl(), absolute(nameservers.get(0)), absolute(hostmaster),
                serial, 3600, 600, 1_209_600, 300));
        for (String ns : nameservers) {
            records.add(new NSRecord(origin, DClass.IN, profile.ttl(), absolute(ns)));
        }
        for (ZoneEntry record : rules.served(stored.stream().map(DnsRecord::entry).toList())) {
            records.add(RecordSyntax.toRecord(origin, record.name(), record.type(), record.ttl(), record.value()));
        }
        return records;
    }

    /**
     * Identifies how this build with this configuration turns stored records into served ones: a digest
     * of an empty zone as served (the SOA and NS settings) and of the code of the rules. A zone built
     * under another format is built again rather than served.
     */
    public String format() {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (Record record : served("format.invalid", 1, List.of())) {
                digest.update(record.toWireCanonical());
            }
            for (Class<?> code : List.of(ZoneRecords.class, TenantRecordRules.class, RecordSyntax.class, ZoneEntry.class)) {
                try (InputStream bytes = code.getResourceAsStream(code.getSimpleName() + ".class")) {
                    if (bytes == null) {
                        throw new IllegalStateException("The class file of " + code.getName() + " is not readable");
                    }
                    digest.update(bytes.readAllBytes());
                }
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException | IOException e) {
            throw new IllegalStateException("Cannot digest the zone format", e);
        }
    }

    private static Name absolute(String name) {
        try {
            return Name.fromString(name.endsWith(".") ? name : name + ".");
        } catch (TextParseException e) {
            throw new IllegalStateException("Bad configured name " + name, e);
        }
    }
}
