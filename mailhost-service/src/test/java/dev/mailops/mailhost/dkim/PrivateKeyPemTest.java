package dev.mailops.mailhost.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PrivateKeyPemTest {

    @ParameterizedTest
    @ValueSource(strings = {"RSA", "Ed25519"})
    void aPkcs8KeyBecomesPemTextThatReadsBackAsTheSameKey(String algorithm) throws Exception {
        PrivateKey key = KeyPairGenerator.getInstance(algorithm).generateKeyPair().getPrivate();

        String pem = new String(PrivateKeyPem.encode(key.getEncoded()), StandardCharsets.US_ASCII);

        List<String> lines = pem.lines().toList();
        assertThat(lines.get(0)).isEqualTo("-----BEGIN PRIVATE KEY-----");
        assertThat(lines.get(lines.size() - 1)).isEqualTo("-----END PRIVATE KEY-----");
        assertThat(lines.subList(1, lines.size() - 1)).allSatisfy(line -> assertThat(line.length()).isBetween(1, 64));
        byte[] der = Base64.getMimeDecoder().decode(String.join("", lines.subList(1, lines.size() - 1)));
        assertThat(KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der))).isEqualTo(key);
        assertThat(pem).endsWith("\n");
    }
}
