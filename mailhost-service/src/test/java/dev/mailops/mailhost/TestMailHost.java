package dev.mailops.mailhost;

import dev.mailops.testinfra.MailHost;

/**
 * The mail host of this module's ITs ({@link MailHostIT}, {@link MailHostServiceIT}): database
 * {@code mailhost_test}, ports 111xx (IMAPS 11993, SMTP 11025, doveadm 11425, …) and the folder
 * {@code .infra/mailhost-test}, which {@code .ci/run}'s cleanup lists.
 */
final class TestMailHost {

    private TestMailHost() {
    }

    static MailHost create() {
        return MailHost.of("test", 11000, "mailhost_test");
    }
}
