package dev.mailops.mailbox.credentials;

import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.mailops.mailbox.domain.InvalidValue;

/**
 * The password hashes a mailbox may bring from another system, as Dovecot verifies them: {@code {ARGON2ID}}
 * (the PHC string this service makes itself), {@code {BLF-CRYPT}} (bcrypt, {@code $2a$}, {@code $2b$} or
 * {@code $2y$}) and {@code {SHA512-CRYPT}} ({@code $6$}, optionally with {@code rounds=}). Each is checked
 * to its exact form, so nothing else (another scheme, plain text under a prefix, a truncated hash) becomes a
 * credential. The costs are bounded both ways: a hash too cheap to protect its password is refused, and so
 * is one so dear that every login would tie up the mail host.
 */
public final class DovecotHashes {

    public static final int MAX_LENGTH = 255;
    static final int ARGON2_MIN_MEMORY_KIB = 4096;
    static final int ARGON2_MAX_MEMORY_KIB = 65536;
    static final int ARGON2_MAX_ITERATIONS = 10;
    static final int ARGON2_MAX_LANES = 4;
    static final int BCRYPT_MIN_COST = 5; // Dovecot's own default, so its users keep their passwords
    static final int BCRYPT_MAX_COST = 15;
    static final int SHA512_MIN_ROUNDS = 1000;
    static final int SHA512_MAX_ROUNDS = 1_000_000;

    private static final Pattern ARGON2ID = Pattern.compile(
            "\\{ARGON2ID}\\$argon2id\\$v=19\\$m=(\\d{1,7}),t=(\\d{1,3}),p=(\\d{1,2})\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)");
    /** bcrypt: cost, then 22 characters of salt and 31 of hash in bcrypt's own base64 alphabet. */
    private static final Pattern BLF_CRYPT = Pattern.compile("\\{BLF-CRYPT}\\$2[aby]\\$(\\d\\d)\\$[./A-Za-z0-9]{53}");
    /** SHA-512 crypt: optional rounds, a salt of 1 to 16 characters, 86 characters of hash. */
    private static final Pattern SHA512_CRYPT = Pattern.compile(
            "\\{SHA512-CRYPT}\\$6\\$(?:rounds=(\\d{1,9})\\$)?[./A-Za-z0-9]{1,16}\\$[./A-Za-z0-9]{86}");

    private DovecotHashes() {
    }

    /** The hash as it is, or {@link InvalidValue} saying which form it breaks (never echoing it). */
    public static String check(String hash) {
        if (hash == null || hash.isEmpty()) {
            throw new InvalidValue("must not be blank");
        }
        if (hash.length() > MAX_LENGTH) {
            throw new InvalidValue("must be at most " + MAX_LENGTH + " characters long");
        }
        if (hash.startsWith("{ARGON2ID}")) {
            return argon2id(hash);
        }
        if (hash.startsWith("{BLF-CRYPT}")) {
            return bcrypt(hash);
        }
        if (hash.startsWith("{SHA512-CRYPT}")) {
            return sha512Crypt(hash);
        }
        throw new InvalidValue("must start with one of the schemes {ARGON2ID}, {BLF-CRYPT}, {SHA512-CRYPT}");
    }

    private static String argon2id(String hash) {
        Matcher phc = ARGON2ID.matcher(hash);
        if (!phc.matches()) {
            throw new InvalidValue("is not an {ARGON2ID} hash of the form {ARGON2ID}$argon2id$v=19$m=<KiB>,t=<iterations>,"
                    + "p=<lanes>$<salt>$<hash> (base64 without padding)");
        }
        int memory = Integer.parseInt(phc.group(1));
        int iterations = Integer.parseInt(phc.group(2));
        int lanes = Integer.parseInt(phc.group(3));
        if (memory < ARGON2_MIN_MEMORY_KIB || memory > ARGON2_MAX_MEMORY_KIB || iterations < 1
                || iterations > ARGON2_MAX_ITERATIONS || lanes < 1 || lanes > ARGON2_MAX_LANES) {
            throw new InvalidValue("has {ARGON2ID} parameters out of range: m from " + ARGON2_MIN_MEMORY_KIB + " to "
                    + ARGON2_MAX_MEMORY_KIB + ", t from 1 to " + ARGON2_MAX_ITERATIONS + ", p from 1 to " + ARGON2_MAX_LANES);
        }
        if (decodedLength(phc.group(4)) < 8 || decodedLength(phc.group(5)) < 16) {
            throw new InvalidValue("has an {ARGON2ID} salt shorter than 8 bytes or a hash shorter than 16 bytes");
        }
        return hash;
    }

    private static String bcrypt(String hash) {
        Matcher bcrypt = BLF_CRYPT.matcher(hash);
        if (!bcrypt.matches()) {
            throw new InvalidValue("is not a {BLF-CRYPT} hash of the form {BLF-CRYPT}$2y$<cost>$<53 characters>");
        }
        int cost = Integer.parseInt(bcrypt.group(1));
        if (cost < BCRYPT_MIN_COST || cost > BCRYPT_MAX_COST) {
            throw new InvalidValue("has a {BLF-CRYPT} cost out of range: from " + BCRYPT_MIN_COST + " to " + BCRYPT_MAX_COST);
        }
        return hash;
    }

    private static String sha512Crypt(String hash) {
        Matcher crypt = SHA512_CRYPT.matcher(hash);
        if (!crypt.matches()) {
            throw new InvalidValue("is not a {SHA512-CRYPT} hash of the form {SHA512-CRYPT}$6$[rounds=<n>$]<salt>$<86 characters>");
        }
        if (crypt.group(1) != null) {
            int rounds = Integer.parseInt(crypt.group(1));
            if (rounds < SHA512_MIN_ROUNDS || rounds > SHA512_MAX_ROUNDS) {
                throw new InvalidValue("has {SHA512-CRYPT} rounds out of range: from " + SHA512_MIN_ROUNDS + " to "
                        + SHA512_MAX_ROUNDS);
            }
        }
        return hash;
    }

    private static int decodedLength(String base64) {
        try {
            return Base64.getDecoder().decode(base64).length;
        } catch (IllegalArgumentException e) {
            return 0;
        }
    }
}
