package dev.mailops.testinfra;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;

/** test-infra serves every module's tests and knows none of the services' code. */
class ArchitectureTest {

    private static final String ROOT = "dev.mailops.testinfra";
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
