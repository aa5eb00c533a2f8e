package dev.mailops.mailbox;

import dev.mailops.testinfra.ServiceArchitecture;

/** mailbox-service: packages without cycles, a domain free of the outside world, no other service's code. */
class ArchitectureTest extends ServiceArchitecture {

    ArchitectureTest() {
        super("dev.mailops.mailbox", "dev.mailops.mailbox.domain..");
    }
}
