package dev.mailops.mailbox.credentials;

import java.util.Locale;

import dev.mailops.mailbox.domain.FieldViolations;
import dev.mailops.mailbox.domain.InvalidValue;

/**
 * What a mailbox password must be: 10 to 128 characters, at least three of lower case, upper case,
 * digits and other characters, no control characters, and not containing the address's local part.
 */
public final class PasswordPolicy {

    public static final int MIN_LENGTH = 10;
    public static final int MAX_LENGTH = 128;

    private PasswordPolicy() {
    }

    /**
     * Records what is wrong with the password (under {@code password}) and with its confirmation (under
     * {@code passwordConfirmation}, which must repeat it). Messages never echo the password.
     */
    public static void check(FieldViolations violations, String password, String confirmation, String localPart) {
        violations.check("password", () -> {
            check(password, localPart);
            return null;
        });
        if (confirmation == null || confirmation.isEmpty()) {
            violations.add("passwordConfirmation", "must not be blank: re-enter the password");
        } else if (!confirmation.equals(password)) {
            violations.add("passwordConfirmation", "does not match the password");
        }
    }

    public static void check(String password, String localPart) {
        if (password == null || password.isEmpty()) {
            throw new InvalidValue("must not be blank");
        }
        int length = password.codePointCount(0, password.length());
        if (length < MIN_LENGTH || length > MAX_LENGTH) {
            throw new InvalidValue("must be " + MIN_LENGTH + " to " + MAX_LENGTH + " characters long");
        }
        if (password.codePoints().anyMatch(Character::isISOControl)) {
            throw new InvalidValue("must not contain control characters");
        }
        int classes = (password.codePoints().anyMatch(Character::isLowerCase) ? 1 : 0)
                + (password.codePoints().anyMatch(Character::isUpperCase) ? 1 : 0)
                + (password.codePoints().anyMatch(Character::isDigit) ? 1 : 0)
                + (password.codePoints().anyMatch(c -> !Character.isLetterOrDigit(c)) ? 1 : 0);
        if (classes < 3) {
            throw new InvalidValue("must contain at least three of: lower-case letters, upper-case letters, "
                    + "digits, other characters");
        }
        if (localPart != null && localPart.length() >= 3
                && password.toLowerCase(Locale.ROOT).contains(localPart.toLowerCase(Locale.ROOT))) {
            throw new InvalidValue("must not contain the email address");
        }
    }
}
