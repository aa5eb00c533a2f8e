package dev.mailops.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.utils.Serialization;

/**
 * deploy/kubernetes read with the Kubernetes model of the fabric8 client: every document must be a
 * resource the model knows (or a custom resource of the operators), and the deployment must keep
 * the promises of deploy/README.md.
 */
class KubernetesManifestsTest {

    static final Path BASE = Repository.ROOT.resolve("deploy/kubernetes");
    static final List<String> SERVICES = List.of("mailbox-service", "billing-service", "dns-service", "gateway");
    static List<HasMetadata> resources = new ArrayList<>();

    @BeforeAll
    static void load() throws Exception {
        JsonNode kustomization = new ObjectMapper(new YAMLFactory()).readTree(BASE.resolve("kustomization.yaml").toFile());
        for (JsonNode file : kustomization.get("resources")) {
            Path path = BASE.resolve(file.asText());
            assertThat(path).as("kustomization lists " + file.asText()).exists();
            for (String document : Files.readString(path).split("(?m)^---\\s*$")) {
                if (document.isBlank() || document.lines().allMatch(line -> line.isBlank() || line.startsWith("#"))) {
                    continue;
                }
                KubernetesResource resource = Serialization.unmarshal(document);
                assertThat(resource).as("a Kubernetes resource in " + path).isInstanceOf(HasMetadata.class);
                resources.add((HasMetadata) resource);
            }
        }
    }

    @Test
    void everyServiceIsADeploymentWithProbesResourcesReplicasAndAnAutoscaler() {
        for (String service : SERVICES) {
            Deployment deployment = only(Deployment.class, service);
            assertThat(deployment.getSpec().getReplicas()).as(service).isGreaterThanOrEqualTo(2);
            Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
            assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
            assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
            assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
            assertThat(container.getResources().getLimits()).containsKey("memory");
            assertThat(container.getImage()).startsWith("mailops/" + service + ":");
            HorizontalPodAutoscaler autoscaler = only(HorizontalPodAutoscaler.class, service);
            assertThat(autoscaler.getSpec().getScaleTargetRef().getName()).isEqualTo(service);
            assertThat(autoscaler.getSpec().getMaxReplicas()).isGreaterThan(autoscaler.getSpec().getMinReplicas());
        }
    }

    @Test
    void onlyTheGatewayAndTheDnsServerAreReachableFromOutside() {
        List<NetworkPolicy> policies = of(NetworkPolicy.class);
        assertThat(policies).anySatisfy(policy -> {
            assertThat(policy.getSpec().getPodSelector().getMatchLabels()).isNullOrEmpty();
            assertThat(policy.getSpec().getPolicyTypes()).contains("Ingress");
            assertThat(policy.getSpec().getIngress()).isNullOrEmpty();
        });
        for (String internal : List.of("mailbox-service", "billing-service")) {
            List<NetworkPolicy> allowing = policies.stream().filter(policy -> internal.equals(
                    policy.getSpec().getPodSelector().getMatchLabels() == null ? null
                            : policy.getSpec().getPodSelector().getMatchLabels().get("app.kubernetes.io/name"))).toList();
            assertThat(allowing).as(internal).isNotEmpty().allSatisfy(policy -> assertThat(policy.getSpec().getIngress())
                    .allSatisfy(rule -> assertThat(rule.getFrom()).isNotEmpty()));
        }
    }

    @Test
    void kafkaHasThreeBrokersAndTopicsWithReplicationThreeAndMinInSyncTwo() {
        List<GenericKubernetesResource> topics = custom("KafkaTopic");
        assertThat(topics).extracting(topic -> topic.getMetadata().getName())
                .contains("mailbox.events", "billing.events", "dns.events");
        for (GenericKubernetesResource topic : topics) {
            Map<String, Object> spec = topic.get("spec");
            assertThat(((Number) spec.get("replicas")).intValue()).as(topic.getMetadata().getName()).isEqualTo(3);
            assertThat(String.valueOf(((Map<?, ?>) spec.get("config")).get("min.insync.replicas")))
                    .as(topic.getMetadata().getName()).isEqualTo("2");
        }
        GenericKubernetesResource pool = custom("KafkaNodePool").get(0);
        assertThat(((Number) ((Map<?, ?>) pool.get("spec")).get("replicas")).intValue()).isGreaterThanOrEqualTo(3);
        assertThat(custom("Kafka")).hasSize(1);
        GenericKubernetesResource database = custom("Cluster").get(0);
        assertThat(database.getApiVersion()).startsWith("postgresql.cnpg.io/");
        assertThat(((Number) ((Map<?, ?>) database.get("spec")).get("instances")).intValue()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void everyResourceIsNamespacedOrTheNamespace() {
        assertThat(resources.stream().filter(r -> !"Namespace".equals(r.getKind()))
                .filter(r -> r.getMetadata().getNamespace() != null && !"mailops".equals(r.getMetadata().getNamespace()))
                .map(r -> r.getKind() + "/" + r.getMetadata().getName()).collect(Collectors.toList())).isEmpty();
    }

    private static <T extends HasMetadata> List<T> of(Class<T> type) {
        return resources.stream().filter(type::isInstance).map(type::cast).toList();
    }

    private static <T extends HasMetadata> T only(Class<T> type, String name) {
        List<T> found = of(type).stream().filter(r -> name.equals(r.getMetadata().getName())).toList();
        assertThat(found).as(type.getSimpleName() + " " + name).hasSize(1);
        return found.get(0);
    }

    private static List<GenericKubernetesResource> custom(String kind) {
        return resources.stream().filter(r -> r instanceof GenericKubernetesResource && kind.equals(r.getKind()))
                .map(GenericKubernetesResource.class::cast).toList();
    }
}
