package dev.mailops.billing.notification;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.vertx.ext.mail.MailClient;

/**
 * The mail client under the Quarkus mailer must be one that never loses the server's greeting. Up to 4.5.30
 * (the Quarkus BOM manages 4.5.27), its pool could open a connection on another event loop than the one that
 * later reads it; a greeting that arrived in between was dropped and the send waited out
 * quarkus.mailer.timeout. About 1 send in 100 to 400 did so under load on two cores; none in 3,000 with 4.5.36.
 * The root pom manages the version; this fails if that is dropped while the BOM still brings an older one.
 */
class MailClientVersionTest {

    private static final Runtime.Version FIRST_FIXED = Runtime.Version.parse("4.5.36");

    @Test
    void theMailClientOnTheClassPathOpensEachConnectionOnTheEventLoopThatReadsIt() {
        String version = MailClient.class.getPackage().getImplementationVersion();

        assertThat(version).as("Implementation-Version of vertx-mail-client").isNotNull();
        assertThat(Runtime.Version.parse(version)).isGreaterThanOrEqualTo(FIRST_FIXED);
    }
}
