package dev.mailops.dns;

import dev.mailops.testinfra.ServiceArchitecture;

/** dns-service: the zone rules are free of the outside world. */
class ArchitectureTest extends ServiceArchitecture {

    ArchitectureTest() {
        super("dev.mailops.dns", "dev.mailops.dns.zone.rules..");
    }
}
