package dev.mailops.billing;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;

import dev.mailops.testinfra.TestInfrastructure;

/**
 * Every @QuarkusTest of this module runs against the tests' Kafka and PostgreSQL (Testcontainers or the
 * local processes, as TestInfrastructure chooses), and a real SMTP server.
 */
@QuarkusTestResource(value = TestInfrastructure.class, initArgs = @ResourceArg(name = "database", value = "billing_test"))
@QuarkusTestResource(SmtpServer.class)
public final class SharedInfrastructure {
    private SharedInfrastructure() {
    }
}
