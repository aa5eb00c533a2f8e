package dev.mailops.testinfra;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;

/** The structure checks of a kit, run by its {@code ArchitectureTest}: no service's code, no package cycles. */
public abstract class KitArchitecture {

    private final String root;
    private final JavaClasses classes;

    protected KitArchitecture(String root) {
        this.root = root;
        this.classes = ArchitectureRules.productionClasses(root);
    }

    @Test
    void knowsNoService() {
        ArchitectureRules.kitKnowsNoService(root).check(classes);
    }

    @Test
    void packagesHaveNoCycles() {
        ArchitectureRules.noPackageCycles(root).check(classes);
    }
}
