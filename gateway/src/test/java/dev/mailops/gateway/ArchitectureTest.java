package dev.mailops.gateway;

import dev.mailops.testinfra.ServiceArchitecture;

/** The gateway has no domain of its own (it authenticates, checks and forwards): no package is held to the purity rule. */
class ArchitectureTest extends ServiceArchitecture {

    ArchitectureTest() {
        super("dev.mailops.gateway");
    }
}
