package dev.mailops.kit;

import dev.mailops.testinfra.KitArchitecture;

/** The service kit serves every HTTP service and knows none of them. */
class ArchitectureTest extends KitArchitecture {

    ArchitectureTest() {
        super("dev.mailops.kit");
    }
}
