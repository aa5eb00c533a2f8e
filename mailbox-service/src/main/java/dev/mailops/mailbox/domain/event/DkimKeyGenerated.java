package dev.mailops.mailbox.domain.event;

import java.util.UUID;

/**
 * A DKIM key pair was generated for the domain under a selector; {@code record} is the TXT value to
 * publish at {@code <selector>._domainkey.<domain>}. Only the public key is here: the private key
 * leaves the service sealed, on the credentials topic.
 */
public record DkimKeyGenerated(String domain, String selector, UUID keyId, String algorithm, String publicKey,
        String record) implements MailboxEvent {
}
