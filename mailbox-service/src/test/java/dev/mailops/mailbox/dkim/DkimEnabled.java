package dev.mailops.mailbox.dkim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

import dev.mailops.kit.secrets.KeyEncryption;
import dev.mailops.testinfra.ServiceProcess;

/**
 * The service with DKIM keys managed and domains proven by their TXT record (dns-txt): two test DNS servers (both must serve a key; the
 * second truncates UDP answers beyond 300 bytes, so a key record reaches the keeper over TCP),
 * a key-encryption key generated into target/, and a keeper that looks every 300 ms. The profile
 * only chooses the servers' ports (it may run in another class loader than the test); the test
 * class starts the servers on them, so that it is the one that controls what they serve.
 */
public class DkimEnabled implements QuarkusTestProfile {

    static final Path KEY_ENCRYPTION_KEY = Path.of("target", "dkim-test", "key-encryption-key").toAbsolutePath();
    private static final String PORTS = "mailops.test.dkim.dns-ports";
    /** The provider's own name in this profile (its mail host). */
    public static final String PROVIDER_NAME = "mail.provider-host.example";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("mailbox.dkim.enabled", "true",
                "mailbox.dkim.key-encryption-key-file", keyEncryptionKey().toString(),
                "mailbox.dkim.dns-servers", String.join(",", ports().stream().map(port -> "127.0.0.1:" + port).toList()),
                "mailbox.dkim.check-interval", "300ms",
                "mailbox.dkim.dns-timeout", "PT1S",
                // domains are proven through the first test server, the resolver of DomainVerificationSecurityTest
                "mailbox.domain-verification.policy", "dns-txt",
                "mailbox.domain-verification.resolvers", "127.0.0.1:" + ports().get(0),
                "mailbox.domain-verification.check-interval", "1s",
                "mailbox.domains.provider-names", PROVIDER_NAME);
    }

    private static List<TestDnsServer> servers;

    /** The two ports, chosen once per JVM (a system property is the same in every class loader). */
    static synchronized List<Integer> ports() {
        if (System.getProperty(PORTS) == null) {
            System.setProperty(PORTS, ServiceProcess.freePort() + "," + ServiceProcess.freePort());
        }
        return List.of(System.getProperty(PORTS).split(",")).stream().map(Integer::valueOf).toList();
    }

    /** The two servers on the profile's ports, started by the class loader of the first caller. */
    public static synchronized List<TestDnsServer> servers() {
        if (servers == null) {
            List<Integer> ports = ports();
            servers = List.of(TestDnsServer.start(ports.get(0), TestDnsServer.UDP_LIMIT),
                    TestDnsServer.start(ports.get(1), 300));
        }
        return servers;
    }

    static synchronized Path keyEncryptionKey() {
        try {
            if (!Files.exists(KEY_ENCRYPTION_KEY)) {
                Files.createDirectories(KEY_ENCRYPTION_KEY.getParent());
                Files.writeString(KEY_ENCRYPTION_KEY, KeyEncryption.generate(), StandardCharsets.US_ASCII);
            }
            return KEY_ENCRYPTION_KEY;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
