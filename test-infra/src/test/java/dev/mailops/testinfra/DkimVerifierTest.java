package dev.mailops.testinfra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The verifier against messages python3-dkim signs with keys made here, whose public halves a real DNS
 * server of the test's own serves (over UDP, as TXT records split into character strings).
 */
class DkimVerifierTest {

    static final String DOMAIN = "signed.example";
    static final String SELECTOR = "mbo0001";
    static final String KEY_NAME = SELECTOR + "._domainkey." + DOMAIN;
    static final String MESSAGE = """
            From: anna@signed.example\r
            To: bob@elsewhere.example\r
            Subject: signed\r
            Date: Mon, 30 Nov 2026 12:00:00 +0000\r
            Message-ID: <verifier-test@signed.example>\r
            \r
            Sent by a mailops test.\r
            """;

    @TempDir
    Path folder;

    TxtResponder dns;
    DkimVerifier verifier;
    KeyPair key;

    @BeforeEach
    void givenAKeyAndADnsServer() throws Exception {
        dns = new TxtResponder();
        verifier = DkimVerifier.askingServerAt("127.0.0.1", dns.port());
        key = rsa2048();
    }

    @AfterEach
    void stopTheDnsServer() throws InterruptedException {
        dns.close();
    }

    @Test
    void aMessageSignedWithTheServedKeyVerifiesWithItsSelectorAndDomain() throws Exception {
        dns.serve(KEY_NAME, record(key));

        DkimVerifier.Result result = verifier.verify(signed(MESSAGE, key));

        assertThat(result.valid()).as(result.toString()).isTrue();
        assertThat(result.signature().selector()).isEqualTo(SELECTOR);
        assertThat(result.signature().domain()).isEqualTo(DOMAIN);
    }

    @Test
    void aBodyAlteredAfterSigningFails() throws Exception {
        dns.serve(KEY_NAME, record(key));
        byte[] altered = new String(signed(MESSAGE, key), StandardCharsets.US_ASCII)
                .replace("Sent by a mailops test.", "Sent by someone else.").getBytes(StandardCharsets.US_ASCII);

        DkimVerifier.Result result = verifier.verify(altered);

        assertThat(result.valid()).isFalse();
        assertThat(result.signature().detail()).startsWith("ValidationError: body hash mismatch");
        assertThat(result.signature().selector()).as("still read from the signature").isEqualTo(SELECTOR);
    }

    @Test
    void aMessageSignedWithAnotherKeyThanTheServedOneFails() throws Exception {
        dns.serve(KEY_NAME, record(rsa2048()));

        DkimVerifier.Result result = verifier.verify(signed(MESSAGE, key));

        assertThat(result.valid()).isFalse();
        assertThat(result.signature().detail()).isEqualTo("signature does not verify");
        assertThat(result.signature().domain()).isEqualTo(DOMAIN);
    }

    @Test
    void aSelectorTheServerHasNoRecordForFails() throws Exception {
        dns.serve("mbo0002._domainkey." + DOMAIN, record(key));

        DkimVerifier.Result result = verifier.verify(signed(MESSAGE, key));

        assertThat(result.valid()).isFalse();
        assertThat(result.signature().detail()).as("no key at the name the signature points to")
                .isEqualTo("no TXT record at " + KEY_NAME + ". (NXDOMAIN)");
    }

    @Test
    void anUnsignedMessageHasNoSignatureAndIsNotValid() {
        DkimVerifier.Result result = verifier.verify(MESSAGE.getBytes(StandardCharsets.US_ASCII));

        assertThat(result.signatures()).isEmpty();
        assertThat(result.valid()).isFalse();
    }

    /** The DKIM key record of {@code pair}, split into character strings of at most 255 octets as dns-service does. */
    static List<String> record(KeyPair pair) {
        String value = "v=DKIM1; k=rsa; p=" + Base64.getEncoder().encodeToString(pair.getPublic().getEncoded());
        List<String> strings = new ArrayList<>();
        for (int start = 0; start < value.length(); start += 255) {
            strings.add(value.substring(start, Math.min(value.length(), start + 255)));
        }
        assertThat(strings).as("a 2048-bit key's record needs more than one string").hasSizeGreaterThan(1);
        return strings;
    }

    /** {@code message} signed by python3-dkim with {@code pair} as selector mbo0001 of signed.example. */
    byte[] signed(String message, KeyPair pair) throws IOException, InterruptedException {
        Path keyFile = folder.resolve("key-" + System.nanoTime() + ".pem");
        Files.writeString(keyFile, "-----BEGIN RSA PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(pkcs1(pair.getPrivate().getEncoded()))
                + "\n-----END RSA PRIVATE KEY-----\n");
        Path script = folder.resolve("dkim-sign.py");
        try (InputStream source = DkimVerifierTest.class.getResourceAsStream("dkim-sign.py")) {
            Files.write(script, source.readAllBytes());
        }
        String python = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
        Path output = folder.resolve("signed-" + System.nanoTime() + ".eml");
        Path errors = folder.resolve("errors.txt");
        Path input = folder.resolve("message.eml");
        Files.writeString(input, message, StandardCharsets.US_ASCII);
        Process process = new ProcessBuilder(python, script.toString(), SELECTOR, DOMAIN, keyFile.toString())
                .redirectInput(input.toFile()).redirectOutput(output.toFile()).redirectError(errors.toFile()).start();
        assertThat(process.waitFor(1, TimeUnit.MINUTES)).as("python3-dkim signs").isTrue();
        assertThat(process.exitValue()).as(Files.readString(errors)).isZero();
        byte[] signed = Files.readAllBytes(output);
        assertThat(new String(signed, StandardCharsets.US_ASCII)).startsWith("DKIM-Signature:");
        return signed;
    }

    static KeyPair rsa2048() throws NoSuchAlgorithmException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    /**
     * The RSAPrivateKey (PKCS#1) inside Java's PKCS#8 encoding, which is what python3-dkim reads:
     * PrivateKeyInfo ::= SEQUENCE { version INTEGER, algorithm SEQUENCE, privateKey OCTET STRING }.
     */
    static byte[] pkcs1(byte[] pkcs8) {
        int[] at = {0};
        enter(pkcs8, at, 0x30);
        skip(pkcs8, at, 0x02);
        skip(pkcs8, at, 0x30);
        int length = enter(pkcs8, at, 0x04);
        return Arrays.copyOfRange(pkcs8, at[0], at[0] + length);
    }

    /** Reads the tag and length at {@code at}, leaving {@code at} on the contents; the contents' length. */
    private static int enter(byte[] der, int[] at, int tag) {
        assertThat(der[at[0]++] & 0xff).as("DER tag").isEqualTo(tag);
        int first = der[at[0]++] & 0xff;
        if (first < 0x80) {
            return first;
        }
        int length = 0;
        for (int octets = first & 0x7f; octets > 0; octets--) {
            length = (length << 8) | (der[at[0]++] & 0xff);
        }
        return length;
    }

    private static void skip(byte[] der, int[] at, int tag) {
        int length = enter(der, at, tag); // first: at[0] += enter(...) would add to the position before the header
        at[0] += length;
    }
}
