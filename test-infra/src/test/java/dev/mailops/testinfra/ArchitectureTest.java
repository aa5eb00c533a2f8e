package dev.mailops.testinfra;

import dev.mailops.testinfra.KitArchitecture;

/** test-infra serves every module's tests and knows none of the services' code. */
class ArchitectureTest extends KitArchitecture {

    ArchitectureTest() {
        super("dev.mailops.testinfra");
    }
}
