package dev.mailops.kit;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;

import dev.mailops.testinfra.ArchitectureRules;

/** The service kit serves every HTTP service and knows none of them; its packages form no cycle. */
class ArchitectureTest {

    private static final String ROOT = "dev.mailops.kit";
    private static final JavaClasses CLASSES = ArchitectureRules.productionClasses(ROOT);

    @Test
    void knowsNoService() {
        ArchitectureRules.kitKnowsNoService(ROOT).check(CLASSES);
    }

    @Test
    void hasNoPackageCycles() {
        ArchitectureRules.noPackageCycles(ROOT).check(CLASSES);
    }
}
