package dev.mailops.billing;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;

import dev.mailops.testinfra.LocalInfrastructure;

/** Every @QuarkusTest of this module runs against the shared local Kafka and PostgreSQL, and a real SMTP server. */
@QuarkusTestResource(value = LocalInfrastructure.class, initArgs = @ResourceArg(name = "database", value = "billing_test"))
@QuarkusTestResource(SmtpServer.class)
public final class SharedInfrastructure {
    private SharedInfrastructure() {
    }
}
