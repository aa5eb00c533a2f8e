package dev.mailops.consumer;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;

import dev.mailops.testinfra.ArchitectureRules;

/** The consumer kit serves every consuming service and knows none of them. */
class ArchitectureTest {

    private static final String ROOT = "dev.mailops.consumer";
    private static final JavaClasses CLASSES = ArchitectureRules.productionClasses(ROOT);

    @Test
    void knowsNoService() {
        ArchitectureRules.kitKnowsNoService(ROOT).check(CLASSES);
    }

    @Test
    void hasNoPackageCycles() {
        // One package today; the rule holds its future sub-packages to it.
        ArchitectureRules.noPackageCycles(ROOT).allowEmptyShould(true).check(CLASSES);
    }
}
