package dev.mailops.dns.zone.rules;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.xbill.DNS.DClass;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * Names and record data in presentation format (RFC 1035 master files), parsed by dnsjava: a value
 * that does not parse is refused with what is wrong, and TXT data is split into character-strings.
 */
public final class RecordSyntax {

    /** A TXT character-string holds at most 255 bytes (RFC 1035 section 3.3). */
    private static final int TXT_STRING_MAX = 255;
    /** What a tenant's TXT value may hold in all. */
    private static final int TXT_MAX = 4000;

    private RecordSyntax() {
    }

    /** Parses record data in presentation format; the message says what is wrong. */
    public static Record toRecord(Name origin, String relativeName, String type, int ttl, String value) {
        Name name = name(origin, relativeName);
        int typeCode = Type.value(type);
        if (typeCode == Type.TXT) {
            return txt(name, ttl, value);
        }
        try {
            return Record.fromString(name, typeCode, DClass.IN, ttl, value, origin);
        } catch (IOException | RuntimeException e) {
            throw new InvalidValue("is not valid " + type + " record data: " + e.getMessage());
        }
    }

    public static Name origin(String domain) {
        try {
            return Name.fromString(domain.endsWith(".") ? domain : domain + ".");
        } catch (TextParseException e) {
            throw new InvalidValue("'" + domain + "' is not a domain name");
        }
    }

    /** A name relative to the zone ({@code @} or blank for the apex) or absolute inside it. */
    public static Name name(Name origin, String relativeName) {
        if (relativeName == null || relativeName.isBlank() || relativeName.equals("@")) {
            return origin;
        }
        try {
            Name name = Name.fromString(relativeName, origin);
            if (!name.subdomain(origin)) {
                throw new InvalidValue("must be inside the zone " + origin);
            }
            return name;
        } catch (TextParseException e) {
            throw new InvalidValue("'" + relativeName + "' is not a valid DNS name: " + e.getMessage());
        }
    }

    /** The name as stored: relative to the zone, {@code @} for the apex. */
    public static String relativeName(Name origin, String source) {
        Name name = name(origin, source);
        return name.equals(origin) ? "@" : name.relativize(origin).toString();
    }

    /**
     * A TXT record of any length, split into character-strings of at most 255 bytes without cutting a
     * UTF-8 sequence. The text is taken literally: backslashes and quotes are escaped for dnsjava.
     */
    public static TXTRecord txt(Name name, long ttl, String text) {
        if (text.getBytes(StandardCharsets.UTF_8).length > TXT_MAX) {
            throw new InvalidValue("TXT data is limited to " + TXT_MAX + " bytes");
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
}
