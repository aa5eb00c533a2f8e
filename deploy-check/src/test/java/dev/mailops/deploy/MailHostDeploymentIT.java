package dev.mailops.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The mail host as deploy/ ships it (the images' entrypoints, the configuration of the ConfigMaps, the
 * Postfix exporter, OpenDKIM), run by deploy/images/try.sh on this machine in namespaces of its own, as a pod would:
 * logins, delivery over LMTP and submission over SASL between the two daemons, refusals, quota, the
 * doveadm API, the metrics the dashboard charts, submitted mail signed through the milter with the key
 * of mailhost-service's views (verified by python3-dkim), forwarded mail signed by the forward route, and a bounce to
 * its SRS sender relayed back to the original sender. Needs root, Debian's packages and the local
 * PostgreSQL; it fails, never skips, when they are missing.
 */
class MailHostDeploymentIT {

    @Test
    void theDeployedConfigurationServesMailEndToEnd() throws Exception {
        Repository.Run run = Repository.run(Map.of(), "bash", "deploy/images/try.sh");
        assertThat(run.output()).doesNotContain("FAILED").contains("ok: the three mails delivered over LMTP on TCP into the INBOX",
                "ok: submission with STARTTLS and AUTH (SASL over TCP)", "ok: the exporter's refusals by code",
                "ok: submission as another mailbox's address refused with 553", "ok: SMTPS as another mailbox's address refused with 553",
                "ok: submitted mail DKIM-signed with the active selector's key (python3-dkim verifies), SMTP in not signed",
                "ok: forwarded mail DKIM-signed with the forwarding domain's key (python3-dkim verifies), envelope sender SRS",
                "ok: the bounce relayed to the original sender with the null sender", "ok: a forged SRS address refused with 550");
        assertThat(run.exitCode()).as(run.output()).isZero();
    }
}
