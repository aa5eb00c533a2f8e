package dev.mailops.mailbox;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;

import dev.mailops.testinfra.TestInfrastructure;

/**
 * Every @QuarkusTest of this module runs against the tests' Kafka and PostgreSQL (Testcontainers or the
 * local processes, as TestInfrastructure chooses), with its credentials topic created compacted.
 */
@QuarkusTestResource(value = TestInfrastructure.class, initArgs = @ResourceArg(name = "database", value = "mailbox_test"))
@QuarkusTestResource(CredentialsTopic.class)
public final class SharedInfrastructure {
    private SharedInfrastructure() {
    }
}
