package dev.mailops.mailbox.domain;

import java.util.UUID;

/**
 * The public half of a freshly generated DKIM key pair, as its TXT record carries it; the private
 * half never enters the domain.
 *
 * @param publicKey the p= value in base64
 */
public record DkimPublicKey(UUID keyId, DkimAlgorithm algorithm, String publicKey) {

    /** The TXT record value to publish at {@code <selector>._domainkey.<domain>}. */
    public String record() {
        return "v=DKIM1; k=" + algorithm.keyType() + "; p=" + publicKey;
    }
}
