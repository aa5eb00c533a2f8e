package dev.mailops.testinfra;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;

/**
 * The structure checks of a service, run by its {@code ArchitectureTest}, which only names the
 * service's root package and the packages that hold its pure rules.
 */
public abstract class ServiceArchitecture {

    private final String root;
    private final String[] domainPackages;
    private final JavaClasses classes;

    protected ServiceArchitecture(String root, String... domainPackages) {
        this.root = root;
        this.domainPackages = domainPackages;
        this.classes = ArchitectureRules.productionClasses(root);
    }

    @Test
    void packagesHaveNoCycles() {
        ArchitectureRules.noPackageCycles(root).check(classes);
    }

    @Test
    void usesNoOtherServicesCode() {
        ArchitectureRules.noOtherServiceCode(root).check(classes);
    }

    @Test
    void theDomainKnowsNoWebStoreOrMessaging() {
        Assumptions.assumeTrue(domainPackages.length > 0, "the service has no domain package of its own");
        ArchitectureRules.domainStaysPure(domainPackages).check(classes);
    }
}
