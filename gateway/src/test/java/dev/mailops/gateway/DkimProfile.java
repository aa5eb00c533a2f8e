package dev.mailops.gateway;

import java.util.List;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

import dev.mailops.testinfra.TestInfrastructure;

/**
 * The gateway in front of {@link DkimServices} instead of {@link RunningServices}: the global test
 * resources are left out, so the other tests never see this run's services and these never see theirs.
 */
public class DkimProfile implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(TestInfrastructure.class, Map.of("database", "gateway_test")),
                new TestResourceEntry(DkimServices.class));
    }

    @Override
    public boolean disableGlobalTestResources() {
        return true;
    }
}
