package dev.mailops.outbox;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;

import dev.mailops.testinfra.ArchitectureRules;

class ArchitectureTest {

    private static final String ROOT = "dev.mailops.outbox";
    private final JavaClasses classes = ArchitectureRules.productionClasses(ROOT);

    @Test
    void knowsNoService() {
        ArchitectureRules.kitKnowsNoService(ROOT).check(classes);
    }

    @Test
    void hasNoPackageCycles() {
        ArchitectureRules.noPackageCycles(ROOT).check(classes);
    }
}
