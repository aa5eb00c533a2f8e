package dev.mailops.mailhost;

import dev.mailops.testinfra.ServiceArchitecture;

/** mailhost-service: the mail host's rules and the removal's retry schedule are free of the outside world. */
class ArchitectureTest extends ServiceArchitecture {

    ArchitectureTest() {
        super("dev.mailops.mailhost", "dev.mailops.mailhost.hosting.rules..", "dev.mailops.mailhost.removal.rules..");
    }
}
