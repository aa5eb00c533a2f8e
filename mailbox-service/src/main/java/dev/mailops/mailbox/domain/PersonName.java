package dev.mailops.mailbox.domain;

/**
 * A first or last name of the mailbox's owner: not blank, at most 100 characters, and nothing that
 * would break a mail header's display name (control characters, quotes, angle brackets). Kept without
 * the surrounding blanks.
 */
public record PersonName(String value) {

    public static final int MAX_LENGTH = 100;

    public PersonName {
        if (value == null || value.isBlank()) {
            throw new InvalidValue("must not be blank");
        }
        value = value.strip();
        if (value.codePointCount(0, value.length()) > MAX_LENGTH) {
            throw new InvalidValue("must be at most " + MAX_LENGTH + " characters long");
        }
        if (value.codePoints().anyMatch(c -> Character.isISOControl(c) || c == '<' || c == '>' || c == '"')) {
            throw new InvalidValue("must not contain control characters, quotes or angle brackets");
        }
    }

    public static PersonName of(String value) {
        return new PersonName(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
