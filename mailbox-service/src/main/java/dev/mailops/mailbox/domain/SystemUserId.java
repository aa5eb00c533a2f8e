package dev.mailops.mailbox.domain;

import java.util.regex.Pattern;

/** The back-office system user a mailbox belongs to: 1-64 letters, digits or . _ @ -, kept as entered. */
public record SystemUserId(String value) {

    private static final Pattern FORMAT = Pattern.compile("[A-Za-z0-9._@-]{1,64}");

    public SystemUserId {
        if (value == null || value.isBlank()) {
            throw new InvalidValue("must not be blank: select the system user the mailbox belongs to");
        }
        if (!FORMAT.matcher(value).matches()) {
            throw new InvalidValue("must be 1-64 letters, digits or . _ @ -");
        }
    }

    public static SystemUserId of(String value) {
        return new SystemUserId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
