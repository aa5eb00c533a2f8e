package dev.mailops.dns;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;

import dev.mailops.testinfra.TestInfrastructure;

/**
 * Every @QuarkusTest of this module runs against the tests' Kafka and PostgreSQL (Testcontainers or the
 * local processes, as TestInfrastructure chooses).
 */
@QuarkusTestResource(value = TestInfrastructure.class, initArgs = @ResourceArg(name = "database", value = "dns_test"))
public final class SharedInfrastructure {
    private SharedInfrastructure() {
    }
}
