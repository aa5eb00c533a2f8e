package dev.mailops.dns;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;

import dev.mailops.testinfra.LocalInfrastructure;

/** Every @QuarkusTest of this module runs against the shared local Kafka and PostgreSQL. */
@QuarkusTestResource(value = LocalInfrastructure.class, initArgs = @ResourceArg(name = "database", value = "dns_test"))
public final class SharedInfrastructure {
    private SharedInfrastructure() {
    }
}
