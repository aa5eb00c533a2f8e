package dev.mailops.consumer;

import dev.mailops.testinfra.KitArchitecture;

/** The consumer kit serves every consuming service and knows none of them. */
class ArchitectureTest extends KitArchitecture {

    ArchitectureTest() {
        super("dev.mailops.consumer");
    }
}
