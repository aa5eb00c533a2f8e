package dev.mailops.bench;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;

import dev.mailops.testinfra.ArchitectureRules;

/**
 * The harness drives the services as processes, through their API, topics and databases: no service's
 * code. (Its packages are not yet free of cycles: load and observe, load and report, load, replay and
 * chaos use each other; the cycle rule waits for that to be untangled.)
 */
class ArchitectureTest {

    static final String ROOT = "dev.mailops.bench";
    final JavaClasses classes = ArchitectureRules.productionClasses(ROOT);

    @Test
    void knowsNoServiceCode() {
        ArchitectureRules.noOtherServiceCode(ROOT).check(classes);
    }
}
