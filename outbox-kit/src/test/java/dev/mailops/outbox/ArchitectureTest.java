package dev.mailops.outbox;

import dev.mailops.testinfra.KitArchitecture;

/** The outbox kit serves every publishing service and knows none of them. */
class ArchitectureTest extends KitArchitecture {

    ArchitectureTest() {
        super("dev.mailops.outbox");
    }
}
