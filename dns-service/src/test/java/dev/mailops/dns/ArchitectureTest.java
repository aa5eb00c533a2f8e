package dev.mailops.dns;

import static dev.mailops.testinfra.ArchitectureRules.domainStaysPure;
import static dev.mailops.testinfra.ArchitectureRules.noOtherServiceCode;
import static dev.mailops.testinfra.ArchitectureRules.noPackageCycles;
import static dev.mailops.testinfra.ArchitectureRules.productionClasses;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;

/** dns-service's structure: no package cycles, no other service's code, zone rules free of the outside world. */
class ArchitectureTest {

    static final String ROOT = "dev.mailops.dns";
    static final JavaClasses CLASSES = productionClasses(ROOT);

    @Test
    void noPackageCyclesBetweenItsPackages() {
        noPackageCycles(ROOT).check(CLASSES);
    }

    @Test
    void usesNoOtherServicesCode() {
        noOtherServiceCode(ROOT).check(CLASSES);
    }

    @Test
    void theZoneRulesStayPure() {
        domainStaysPure(ROOT + ".zone.rules..").check(CLASSES);
    }
}
