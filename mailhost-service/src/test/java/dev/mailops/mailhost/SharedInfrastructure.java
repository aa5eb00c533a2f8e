package dev.mailops.mailhost;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;

import dev.mailops.testinfra.TestInfrastructure;

/**
 * Every @QuarkusTest of this module runs against the tests' Kafka and PostgreSQL (Testcontainers or the
 * local processes, as TestInfrastructure chooses), on topics of its own run ({@link RunTopics}).
 */
@QuarkusTestResource(value = TestInfrastructure.class, initArgs = @ResourceArg(name = "database", value = "mailhost_service_test"))
@QuarkusTestResource(RunTopics.class)
public final class SharedInfrastructure {
    private SharedInfrastructure() {
    }
}
