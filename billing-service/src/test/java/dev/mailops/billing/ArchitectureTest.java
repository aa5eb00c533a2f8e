package dev.mailops.billing;

import static dev.mailops.testinfra.ArchitectureRules.domainStaysPure;
import static dev.mailops.testinfra.ArchitectureRules.noOtherServiceCode;
import static dev.mailops.testinfra.ArchitectureRules.noPackageCycles;
import static dev.mailops.testinfra.ArchitectureRules.productionClasses;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;

/**
 * billing-service's structure: no package cycles, no other service's code, and the rules that change a
 * contract and compute a statement kept free of HTTP, storage and messaging.
 */
class ArchitectureTest {

    static final String ROOT = "dev.mailops.billing";
    static final JavaClasses CLASSES = productionClasses(ROOT);

    @Test
    void packagesHaveNoCycles() {
        noPackageCycles(ROOT).check(CLASSES);
    }

    @Test
    void usesNoOtherServicesCode() {
        noOtherServiceCode(ROOT).check(CLASSES);
    }

    @Test
    void theContractRulesAndTheStatementArePure() {
        domainStaysPure("dev.mailops.billing.contract.rules..", "dev.mailops.billing.statement..").check(CLASSES);
    }
}
