package dev.mailops.mailbox.dkim;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;

import dev.mailops.kit.secrets.KeyEncryption;
import dev.mailops.mailbox.dns.DnsServer;
import dev.mailops.mailbox.domain.DkimAlgorithm;
import dev.mailops.mailbox.domain.DkimSelectors;
import dev.mailops.mailbox.domain.InvalidValue;

/**
 * The DKIM settings ({@code mailbox.dkim.*}), checked when the service starts: a service that
 * could not keep the keys it is asked to keep refuses to start rather than run without them.
 */
@ApplicationScoped
public class DkimSettings {

    private static final Logger LOG = Logger.getLogger(DkimSettings.class);

    @ConfigProperty(name = "mailbox.dkim.enabled", defaultValue = "false")
    boolean enabled;
    @ConfigProperty(name = "mailbox.dkim.selectors", defaultValue = "mbo0001,mbo0002")
    List<String> selectorNames;
    @ConfigProperty(name = "mailbox.dkim.algorithm", defaultValue = "rsa-sha256")
    String algorithmName;
    @ConfigProperty(name = "mailbox.dkim.key-encryption-key-file")
    Optional<Path> keyEncryptionKeyFile;
    @ConfigProperty(name = "mailbox.dkim.dns-servers", defaultValue = "127.0.0.1:10053")
    List<String> dnsServerNames;
    @ConfigProperty(name = "mailbox.dkim.dns-timeout", defaultValue = "PT2S")
    Duration dnsTimeout;
    @ConfigProperty(name = "mailbox.dkim.record-ttl", defaultValue = "PT1H")
    Duration recordTtl;
    @ConfigProperty(name = "mailbox.dkim.max-delivery-delay", defaultValue = "P5D")
    Duration maxDeliveryDelay;
    @ConfigProperty(name = "mailbox.dkim.rotation-interval")
    Optional<Duration> rotationInterval;
    @ConfigProperty(name = "mailbox.dkim.check-interval", defaultValue = "2s")
    Duration checkInterval;

    private DkimSelectors selectors;
    private DkimAlgorithm algorithm;
    private List<DnsServer> dnsServers;
    private KeyEncryption keyEncryption;

    void check(@Observes StartupEvent event) {
        selectors();
        algorithm();
        dnsServers();
        requirePositive("mailbox.dkim.check-interval", checkInterval);
        requirePositive("mailbox.dkim.dns-timeout", dnsTimeout);
        requireNotNegative("mailbox.dkim.record-ttl", recordTtl);
        requireNotNegative("mailbox.dkim.max-delivery-delay", maxDeliveryDelay);
        rotationInterval.ifPresent(interval -> requirePositive("mailbox.dkim.rotation-interval", interval));
        if (enabled || keyEncryptionKeyFile.isPresent()) {
            keyEncryption();
        }
        if (enabled) {
            LOG.infof("DKIM keys: %s under selectors %s and %s, published when %s serve them, scheduled rotation %s",
                    algorithm.id(), selectors.first(), selectors.second(), dnsServers,
                    rotationInterval.map(Duration::toString).orElse("off"));
        }
    }

    public boolean enabled() {
        return enabled;
    }

    public synchronized DkimSelectors selectors() {
        if (selectors == null) {
            try {
                selectors = DkimSelectors.of(selectorNames);
            } catch (InvalidValue e) {
                throw new IllegalStateException("mailbox.dkim.selectors: " + e.getMessage());
            }
        }
        return selectors;
    }

    public synchronized DkimAlgorithm algorithm() {
        if (algorithm == null) {
            try {
                algorithm = DkimAlgorithm.of(algorithmName.strip());
            } catch (InvalidValue e) {
                throw new IllegalStateException("mailbox.dkim.algorithm: " + e.getMessage());
            }
        }
        return algorithm;
    }

    public synchronized List<DnsServer> dnsServers() {
        if (dnsServers == null) {
            List<DnsServer> parsed = dnsServerNames.stream().filter(name -> !name.isBlank()).map(name -> DnsServer.parse("mailbox.dkim.dns-servers", name))
                    .toList();
            if (parsed.isEmpty()) {
                throw new IllegalStateException("mailbox.dkim.dns-servers names no server");
            }
            dnsServers = parsed;
        }
        return dnsServers;
    }

    /** The key the private keys are sealed with; there is none unless the file is configured and valid. */
    public synchronized KeyEncryption keyEncryption() {
        if (keyEncryption == null) {
            Path file = keyEncryptionKeyFile.orElseThrow(() -> new IllegalStateException(
                    "mailbox.dkim.key-encryption-key-file (MAILBOX_DKIM_KEY_ENCRYPTION_KEY_FILE) is required when"
                            + " mailbox.dkim.enabled is true: the DKIM private keys are sealed with it"));
            if (!Files.isReadable(file)) {
                throw new IllegalStateException("mailbox.dkim.key-encryption-key-file: cannot read " + file);
            }
            try {
                keyEncryption = KeyEncryption.fromFile(file);
            } catch (RuntimeException e) {
                throw new IllegalStateException("mailbox.dkim.key-encryption-key-file: " + file
                        + " does not hold a 256-bit key in base64", e);
            }
        }
        return keyEncryption;
    }

    public Duration dnsTimeout() {
        return dnsTimeout;
    }

    /** How long a replaced key stays published: the record's TTL plus the longest delivery delay. */
    public Duration retirementHold() {
        return recordTtl.plus(maxDeliveryDelay);
    }

    public Optional<Duration> rotationInterval() {
        return rotationInterval;
    }

    public Duration checkInterval() {
        return checkInterval;
    }

    private static void requirePositive(String name, Duration value) {
        if (value.isZero() || value.isNegative()) {
            throw new IllegalStateException(name + " must be positive, not " + value);
        }
    }

    private static void requireNotNegative(String name, Duration value) {
        if (value.isNegative()) {
            throw new IllegalStateException(name + " must not be negative, not " + value);
        }
    }
}
