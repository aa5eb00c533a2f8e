package dev.mailops.gateway;

import static dev.mailops.testinfra.ArchitectureRules.noOtherServiceCode;
import static dev.mailops.testinfra.ArchitectureRules.noPackageCycles;
import static dev.mailops.testinfra.ArchitectureRules.productionClasses;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;

/**
 * The gateway's structure: no package cycles and no other service's code. The gateway has no domain
 * of its own (it authenticates, checks and forwards), so no package is held to domainStaysPure.
 */
class ArchitectureTest {

    static final String ROOT = "dev.mailops.gateway";
    static final JavaClasses CLASSES = productionClasses(ROOT);

    @Test
    void noPackageCyclesBetweenItsPackages() {
        noPackageCycles(ROOT).check(CLASSES);
    }

    @Test
    void usesNoOtherServicesCode() {
        noOtherServiceCode(ROOT).check(CLASSES);
    }
}
