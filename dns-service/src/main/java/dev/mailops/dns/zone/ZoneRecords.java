package dev.mailops.dns.zone;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.xbill.DNS.DClass;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

import dev.mailops.dns.provider.ProviderProfile;
import dev.mailops.kit.errors.InvalidValueException;

/**
 * Turns a zone's stored records into the record set it serves: SOA and NS, the provider's records,
 * the tenant's own, and one SPF record at the apex (the tenant's merged with the provider's
 * include). TXT data longer than 255 bytes is split into character-strings as the wire format requires.
 */
@ApplicationScoped
public class ZoneRecords {

    private static final int TXT_STRING_MAX = 255;

    @Inject
    ProviderProfile provider;

    @ConfigProperty(name = "dns.nameservers")
    List<String> nameservers;

    @ConfigProperty(name = "dns.soa.hostmaster", defaultValue = "hostmaster.mailops.local.")
    String hostmaster;

    public List<Record> served(DnsZone zone, List<DnsRecord> stored) {
        Name origin = origin(zone.domain);
        List<Record> records = new ArrayList<>();
        records.add(new SOARecord(origin, DClass.IN, provider.ttl(), absolute(nameservers.get(0)), absolute(hostmaster),
                zone.serial, 3600, 600, 1_209_600, 300));
        for (String ns : nameservers) {
            records.add(new NSRecord(origin, DClass.IN, provider.ttl(), absolute(ns)));
        }
        Optional<DnsRecord> tenantSpf = stored.stream()
                .filter(r -> r.managedBy == DnsRecord.ManagedBy.TENANT && isApexSpf(r)).findFirst();
        for (DnsRecord record : stored) {
            if (isApexSpf(record)) {
                if (record.managedBy == DnsRecord.ManagedBy.PROVIDER) {
                    String spf = tenantSpf.map(t -> Spf.merge(provider.spfInclude(), provider.spfAll(), t.value))
                            .orElse(record.value);
                    records.add(txt(origin, origin, record.ttl, spf));
                }
                continue; // the tenant's SPF is served merged into the provider's
            }
            records.add(toRecord(origin, record.name, record.type, record.ttl, record.value));
        }
        return records;
    }

    /** Parses record data in presentation format; the message says what is wrong. */
    public static Record toRecord(Name origin, String relativeName, String type, int ttl, String value) {
        Name name = name(origin, relativeName);
        int typeCode = Type.value(type);
        if (typeCode == Type.TXT) {
            return txt(origin, name, ttl, value);
        }
        try {
            return Record.fromString(name, typeCode, DClass.IN, ttl, value, origin);
        } catch (IOException | RuntimeException e) {
            throw new InvalidValueException("is not valid " + type + " record data: " + e.getMessage());
        }
    }

    public static Name origin(String domain) {
        try {
            return Name.fromString(domain.endsWith(".") ? domain : domain + ".");
        } catch (TextParseException e) {
            throw new InvalidValueException("'" + domain + "' is not a domain name");
        }
    }

    public static Name name(Name origin, String relativeName) {
        if (relativeName == null || relativeName.isBlank() || relativeName.equals("@")) {
            return origin;
        }
        try {
            Name name = Name.fromString(relativeName, origin);
            if (!name.subdomain(origin)) {
                throw new InvalidValueException("must be inside the zone " + origin);
            }
            return name;
        } catch (TextParseException e) {
            throw new InvalidValueException("'" + relativeName + "' is not a valid DNS name: " + e.getMessage());
        }
    }

    /**
     * A TXT record of any length, split into character-strings of at most 255 bytes without cutting a
     * UTF-8 sequence. The text is taken literally: backslashes and quotes are escaped for dnsjava.
     */
    public static TXTRecord txt(Name origin, Name name, long ttl, String text) {
        if (text.getBytes(StandardCharsets.UTF_8).length > 4000) {
            throw new InvalidValueException("TXT data is limited to 4000 bytes");
        }
        List<String> strings = new ArrayList<>();
        StringBuilder chunk = new StringBuilder();
        int chunkBytes = 0;
        for (int i = 0; i < text.length();) {
            int codePoint = text.codePointAt(i);
            String character = new String(Character.toChars(codePoint));
            int bytes = character.getBytes(StandardCharsets.UTF_8).length;
            if (chunkBytes + bytes > TXT_STRING_MAX) {
                strings.add(chunk.toString());
                chunk.setLength(0);
                chunkBytes = 0;
            }
            chunk.append(codePoint == '\\' || codePoint == '"' ? "\\" + character : character);
            chunkBytes += bytes;
            i += Character.charCount(codePoint);
        }
        strings.add(chunk.toString());
        return new TXTRecord(name, DClass.IN, ttl, strings);
    }

    private static boolean isApexSpf(DnsRecord record) {
        return record.name.equals("@") && record.type.equals("TXT") && Spf.isSpf(record.value);
    }

    private static Name absolute(String name) {
        try {
            return Name.fromString(name.endsWith(".") ? name : name + ".");
        } catch (TextParseException e) {
            throw new IllegalStateException("Bad configured name " + name, e);
        }
    }
}
