package dev.mailops.mailhost.dkim;

import java.time.Instant;
import java.util.UUID;

/** What a record {@code dkim:<keyId>} of mailbox.credentials says about a domain's DKIM private key. */
public sealed interface DkimKeyChange permits DkimKeyChange.SealedKey, DkimKeyChange.Removed {

    UUID keyId();

    /** The key, sealed under the DKIM key-encryption key; never shown by {@link #toString()}. */
    record SealedKey(UUID keyId, String domain, String selector, String algorithm, String sealedPrivateKey, Instant at)
            implements DkimKeyChange {
        @Override
        public String toString() {
            return "SealedKey[keyId=" + keyId + ", domain=" + domain + ", selector=" + selector + ", algorithm="
                    + algorithm + ", sealedPrivateKey=(hidden), at=" + at + "]";
        }
    }

    /** A tombstone: the key was retired. */
    record Removed(UUID keyId) implements DkimKeyChange {
    }
}
