package dev.mailops.mailhost.health;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

import io.smallrye.health.api.HealthGroup;

import dev.mailops.mailhost.removal.Doveadm;

/**
 * Whether deleted mailboxes' mail gets removed: doveadm answers with this service's key and no
 * removal waits longer than {@code mailhost.removal.overdue-after}. In the group {@code mail-host}
 * ({@code /q/health/group/mail-host}), not in readiness: the events are kept all the same while the
 * mail host is away, and the removals catch up when it is back.
 */
@HealthGroup("mail-host")
@ApplicationScoped
public class MailRemovalHealth implements HealthCheck {

    @Inject
    Doveadm doveadm;
    @Inject
    MailHostGauges gauges;

    @ConfigProperty(name = "mailhost.removal.overdue-after")
    Duration overdueAfter;

    @Override
    public HealthCheckResponse call() {
        double pending = gauges.pendingRemovals();
        double oldest = gauges.oldestPendingSeconds();
        boolean answers = doveadm.configured() && doveadm.answers();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("mail removal")
                .withData("doveadmAnswers", answers)
                .withData("pendingRemovals", (long) pending)
                .withData("oldestPendingSeconds", (long) oldest);
        return response.status(answers && oldest <= overdueAfter.toSeconds()).build();
    }
}
