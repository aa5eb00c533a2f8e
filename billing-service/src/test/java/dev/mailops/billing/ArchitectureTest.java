package dev.mailops.billing;

import dev.mailops.testinfra.ServiceArchitecture;

/** billing-service: the rules that change a contract and compute a statement are free of HTTP, storage and messaging. */
class ArchitectureTest extends ServiceArchitecture {

    ArchitectureTest() {
        super("dev.mailops.billing", "dev.mailops.billing.contract.rules..", "dev.mailops.billing.statement..");
    }
}
