package dev.mailops.mailbox.credentials;

import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mailops.kit.secrets.KeyEncryption;
import dev.mailops.mailbox.dkim.DkimSettings;
import dev.mailops.mailbox.domain.DkimAlgorithm;
import dev.mailops.mailbox.domain.DkimPublicKey;
import dev.mailops.mailbox.messaging.MailboxCredentialsRelay;
import dev.mailops.outbox.OutgoingEvent;

/**
 * DKIM key pairs: generated here, the private key sealed at once with the configured key-encryption
 * key (bound to its key id) and queued for {@code mailbox.credentials} in the transaction of the
 * {@code DkimKeyGenerated} that publishes its public half. The private key is kept nowhere in this
 * service, neither in the clear nor sealed; the signer's side (mailhost-service) keeps it.
 */
@ApplicationScoped
public class DkimPrivateKeys {

    static final URI SCHEMA = OutgoingEvent.schema("mailbox-credentials", MailboxCredentialsRelay.DKIM_PRIVATE_KEY, 1);
    /** An Ed25519 SubjectPublicKeyInfo is this fixed prefix followed by the raw 32-byte key. */
    private static final int ED25519_SPKI_PREFIX = 12;

    /** The record value, as contract/mailbox-credentials/DkimPrivateKey.v1.schema.json describes it. */
    record Value(UUID keyId, String domain, String selector, String algorithm, String encryption,
            String sealedPrivateKey) {
        @Override
        public String toString() {
            return "Value[" + keyId + "]";
        }
    }

    @Inject
    DkimSettings settings;
    @Inject
    MailboxCredentialsRelay outbox;
    @Inject
    ObjectMapper json;

    /** A new key pair of the configured algorithm; its private key sealed on the outbox, its public key returned. */
    @Transactional(Transactional.TxType.MANDATORY)
    public DkimPublicKey generate(String domain, String selector, String tenantId, Instant now, String traceParent) {
        DkimAlgorithm algorithm = settings.algorithm();
        KeyEncryption keyEncryption = settings.keyEncryption();
        UUID keyId = UUID.randomUUID();
        KeyPair pair = keyPair(algorithm);
        byte[] privateKey = pair.getPrivate().getEncoded();
        String sealed;
        try {
            sealed = keyEncryption.seal(privateKey, keyId.toString());
        } finally {
            Arrays.fill(privateKey, (byte) 0);
        }
        outbox.append(new OutgoingEvent(UUID.randomUUID(), MailboxCredentialsRelay.DKIM_PRIVATE_KEY, SCHEMA,
                keyId.toString(), tenantId, now, null,
                toJson(new Value(keyId, domain, selector, algorithm.id(), KeyEncryption.ALGORITHM, sealed)),
                traceParent).keyedBy(keyId.toString()));
        return new DkimPublicKey(keyId, algorithm, publicKey(algorithm, pair));
    }

    /** Queues the tombstone that removes a retired key from the credentials topic. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void retire(UUID keyId, String tenantId, Instant now, String traceParent) {
        outbox.append(OutgoingEvent.tombstone(UUID.randomUUID(), MailboxCredentialsRelay.DKIM_PRIVATE_KEY, SCHEMA,
                keyId.toString(), tenantId, now, traceParent, keyId.toString()));
    }

    static KeyPair keyPair(DkimAlgorithm algorithm) {
        try {
            if (algorithm == DkimAlgorithm.RSA_SHA256) {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048);
                return generator.generateKeyPair();
            }
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The JVM cannot generate " + algorithm.id() + " keys", e);
        }
    }

    /** The p= value: the DER SubjectPublicKeyInfo for RSA, the raw 32-byte key for Ed25519 (RFC 8463). */
    static String publicKey(DkimAlgorithm algorithm, KeyPair pair) {
        byte[] encoded = pair.getPublic().getEncoded();
        if (algorithm == DkimAlgorithm.ED25519_SHA256) {
            encoded = Arrays.copyOfRange(encoded, ED25519_SPKI_PREFIX, encoded.length);
        }
        return Base64.getEncoder().encodeToString(encoded);
    }

    private String toJson(Value value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot serialise the DKIM private key record of " + value.keyId());
        }
    }
}
