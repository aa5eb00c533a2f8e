package dev.mailops.gateway;

import java.util.List;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

import dev.mailops.testinfra.TestInfrastructure;

/**
 * The gateway in front of a deployment with its own DKIM keys: {@link RunningServices} with DKIM on, on
 * databases and topics of its own. The global test resources are left out, so the other tests never see
 * this set's services (nor its DKIM events) and these never see theirs. Every DKIM test class uses this one
 * profile, so the set starts once for all of them.
 */
public class DkimProfile implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(TestInfrastructure.class, Map.of("database", "gateway_test")),
                new TestResourceEntry(RunningServices.class, Map.of(RunningServices.DKIM, "on")));
    }

    @Override
    public boolean disableGlobalTestResources() {
        return true;
    }
}
