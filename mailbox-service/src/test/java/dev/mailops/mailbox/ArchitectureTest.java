package dev.mailops.mailbox;

import static dev.mailops.testinfra.ArchitectureRules.domainStaysPure;
import static dev.mailops.testinfra.ArchitectureRules.noOtherServiceCode;
import static dev.mailops.testinfra.ArchitectureRules.noPackageCycles;
import static dev.mailops.testinfra.ArchitectureRules.productionClasses;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;

/** The structure of mailbox-service: packages without cycles, a domain free of the outside world, no other service's code. */
class ArchitectureTest {

    static final String ROOT = "dev.mailops.mailbox";
    static final JavaClasses CLASSES = productionClasses(ROOT);

    @Test
    void packagesHaveNoCycles() {
        noPackageCycles(ROOT).check(CLASSES);
    }

    @Test
    void theDomainKnowsNoWebStoreOrMessaging() {
        domainStaysPure(ROOT + ".domain..").check(CLASSES);
    }

    @Test
    void noOtherServicesCode() {
        noOtherServiceCode(ROOT).check(CLASSES);
    }
}
