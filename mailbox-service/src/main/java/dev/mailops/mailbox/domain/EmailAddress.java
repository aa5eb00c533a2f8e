package dev.mailops.mailbox.domain;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An email address as a mail provider accepts it: a dot-atom local part (RFC 5322 section 3.2.3,
 * at most 64 octets) at a {@link DomainName}, at most 254 octets in all (RFC 5321 section 4.5.3.1).
 * Addresses are kept in lower case: mailbox providers treat {@code Anna@x.de} and {@code anna@x.de} as one.
 */
public record EmailAddress(String localPart, DomainName domain) {

    public static final int MAX_LOCAL_PART_OCTETS = 64;
    public static final int MAX_ADDRESS_OCTETS = 254;

    private static final Pattern ATOM = Pattern.compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+");
    /** What the mail provider accepts for the addresses it hosts: safe in URLs and every mail client. */
    private static final Pattern HOSTED_LOCAL_PART = Pattern.compile("[a-z0-9](?:[a-z0-9._-]*[a-z0-9])?");

    public EmailAddress {
        localPart = validLocalPart(localPart);
        int length = octets(localPart) + 1 + octets(domain.name());
        if (length > MAX_ADDRESS_OCTETS) {
            throw new InvalidValue("the address is " + length + " octets long; at most "
                    + MAX_ADDRESS_OCTETS + " are allowed");
        }
    }

    public static EmailAddress of(String localPart, String domain) {
        return new EmailAddress(localPart, DomainName.of(domain));
    }

    public static EmailAddress parse(String address) {
        if (address == null || address.isBlank()) {
            throw new InvalidValue("must not be blank");
        }
        String trimmed = address.strip();
        int at = trimmed.lastIndexOf('@');
        if (at <= 0 || at == trimmed.length() - 1) {
            throw new InvalidValue("'" + trimmed + "' is not an email address of the form local-part@domain");
        }
        return of(trimmed.substring(0, at), trimmed.substring(at + 1));
    }

    public static String validLocalPart(String localPart) {
        if (localPart == null || localPart.isBlank()) {
            throw new InvalidValue("must not be blank");
        }
        if (octets(localPart) > MAX_LOCAL_PART_OCTETS) {
            throw new InvalidValue("must be at most " + MAX_LOCAL_PART_OCTETS + " octets long");
        }
        for (String atom : localPart.split("\\.", -1)) {
            if (atom.isEmpty()) {
                throw new InvalidValue("must not start or end with a dot or contain two dots in a row");
            }
            if (!ATOM.matcher(atom).matches()) {
                throw new InvalidValue("may contain only letters a-z, digits and ! # $ % & ' * + / = ? ^ _ ` { | } ~ - "
                        + "(and dots between them)");
            }
        }
        return localPart.toLowerCase(Locale.ROOT);
    }

    /** A local part for a mailbox or alias hosted here: letters, digits, and . _ - inside. */
    public static String validHostedLocalPart(String localPart) {
        String valid = validLocalPart(localPart);
        if (!HOSTED_LOCAL_PART.matcher(valid).matches()) {
            throw new InvalidValue("may contain only letters a-z, digits, and . _ - between them");
        }
        return valid;
    }

    private static int octets(String value) {
        return value.getBytes(StandardCharsets.UTF_8).length;
    }

    @Override
    public String toString() {
        return localPart + "@" + domain.name();
    }
}
