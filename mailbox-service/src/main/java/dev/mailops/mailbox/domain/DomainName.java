package dev.mailops.mailbox.domain;

import java.net.IDN;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A fully qualified mail domain in its ASCII (A-label) form: at least two labels, each 1-63
 * letters, digits or inner hyphens, at most 253 characters (RFC 1035, RFC 5890). Internationalised
 * names are accepted and stored as their punycode.
 */
public record DomainName(String name) {

    private static final Pattern LABEL = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern TOP_LEVEL = Pattern.compile("[a-z]{2,63}|xn--[a-z0-9-]{1,59}");

    public DomainName {
        if (name == null || name.isBlank()) {
            throw new InvalidValue("must not be blank");
        }
        String ascii;
        try {
            ascii = IDN.toASCII(name.strip(), IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw new InvalidValue("'" + name + "' is not a valid domain name");
        }
        if (ascii.endsWith(".")) {
            ascii = ascii.substring(0, ascii.length() - 1);
        }
        if (ascii.length() > 253) {
            throw new InvalidValue("must be at most 253 characters long");
        }
        String[] labels = ascii.split("\\.", -1);
        if (labels.length < 2) {
            throw new InvalidValue("'" + name + "' is not a fully qualified domain name such as example.com");
        }
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                throw new InvalidValue("'" + name + "' is not a valid domain name: each label has 1-63 letters, "
                        + "digits or inner hyphens");
            }
        }
        if (!TOP_LEVEL.matcher(labels[labels.length - 1]).matches()) {
            throw new InvalidValue("'" + name + "' does not end in a valid top-level domain");
        }
        name = ascii;
    }

    public static DomainName of(String name) {
        return new DomainName(name);
    }

    @Override
    public String toString() {
        return name;
    }
}
