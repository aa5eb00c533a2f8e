package dev.mailops.mailbox.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import dev.mailops.mailbox.domain.DkimAlgorithm;

/** The p= values of the two algorithms, as a DKIM verifier rebuilds the key from them. */
class DkimKeyPairTest {

    static final byte[] MESSAGE = "From: anna@shop.example".getBytes(StandardCharsets.UTF_8);
    /** The DER SubjectPublicKeyInfo prefix of an Ed25519 key (RFC 8410), before its 32 raw bytes. */
    static final byte[] ED25519_SPKI_PREFIX = Base64.getDecoder().decode("MCowBQYDK2VwAyEA");

    @Test
    void anRsaKeyIs2048BitsAndItsRecordCarriesTheSubjectPublicKeyInfo() throws Exception {
        KeyPair pair = DkimPrivateKeys.keyPair(DkimAlgorithm.RSA_SHA256);
        String p = DkimPrivateKeys.publicKey(DkimAlgorithm.RSA_SHA256, pair);

        PublicKey published = KeyFactory.getInstance("RSA")
                .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(p)));
        assertThat(((RSAPublicKey) published).getModulus().bitLength()).isEqualTo(2048);
        assertThat(verifies("SHA256withRSA", pair, published)).isTrue();
    }

    @Test
    void anEd25519RecordCarriesTheRaw32ByteKey() throws Exception {
        KeyPair pair = DkimPrivateKeys.keyPair(DkimAlgorithm.ED25519_SHA256);
        byte[] raw = Base64.getDecoder().decode(DkimPrivateKeys.publicKey(DkimAlgorithm.ED25519_SHA256, pair));

        assertThat(raw).hasSize(32);
        byte[] spki = Arrays.copyOf(ED25519_SPKI_PREFIX, ED25519_SPKI_PREFIX.length + raw.length);
        System.arraycopy(raw, 0, spki, ED25519_SPKI_PREFIX.length, raw.length);
        PublicKey published = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
        assertThat(verifies("Ed25519", pair, published)).isTrue();
    }

    private static boolean verifies(String algorithm, KeyPair pair, PublicKey published) throws Exception {
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(pair.getPrivate());
        signer.update(MESSAGE);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(published);
        verifier.update(MESSAGE);
        return verifier.verify(signature);
    }
}
