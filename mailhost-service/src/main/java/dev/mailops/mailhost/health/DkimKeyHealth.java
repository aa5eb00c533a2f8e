package dev.mailops.mailhost.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

import io.smallrye.health.api.HealthGroup;

import dev.mailops.mailhost.dkim.DkimKeyWriter;

/**
 * Whether the signer has every live DKIM key: DOWN while a key waits for its file (no key-encryption
 * key configured, a key that does not open with it, or a file that cannot be written), so that a domain
 * whose mail goes out unsigned shows. In the group {@code mail-host}, not in readiness: the events are
 * kept all the same.
 */
@HealthGroup("mail-host")
@ApplicationScoped
public class DkimKeyHealth implements HealthCheck {

    @Inject
    DkimKeyWriter keyWriter;

    @Override
    public HealthCheckResponse call() {
        DkimKeyWriter.Round round = keyWriter.lastRound();
        if (round == null) {
            return HealthCheckResponse.named("dkim keys").withData("firstRound", "pending").up().build();
        }
        return HealthCheckResponse.named("dkim keys")
                .withData("keyEncryptionKeyConfigured", round.keyEncryptionKeyConfigured())
                .withData("keyDirectory", keyWriter.keyDirectory().toString())
                .withData("liveKeys", round.liveKeys())
                .withData("writtenKeys", round.writtenKeys())
                .withData("unopenableKeys", round.unopenable())
                .status(round.writtenKeys() == round.liveKeys())
                .build();
    }
}
