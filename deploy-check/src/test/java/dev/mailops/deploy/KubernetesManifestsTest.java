package dev.mailops.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.client.utils.Serialization;

/**
 * deploy/kubernetes read with the Kubernetes model of the fabric8 client: every document must be a
 * resource the model knows (or a custom resource of the operators), and the deployment must keep
 * the promises of deploy/README.md.
 */
class KubernetesManifestsTest {

    static final Path BASE = Repository.ROOT.resolve("deploy/kubernetes");
    static final List<String> SERVICES = List.of("mailbox-service", "billing-service", "dns-service", "gateway",
            "mailhost-service");
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

    @Test
    void dovecotIsAStatefulSetWithAMaildirVolumeAndPostfixADeploymentWithItsExporter() {
        StatefulSet dovecot = only(StatefulSet.class, "dovecot");
        assertThat(dovecot.getSpec().getVolumeClaimTemplates()).singleElement()
                .satisfies(claim -> assertThat(claim.getMetadata().getName()).isEqualTo("mail"));
        Container imap = dovecot.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(imap.getImage()).startsWith("mailops/dovecot:");
        assertThat(imap.getVolumeMounts()).anySatisfy(mount -> {
            assertThat(mount.getName()).isEqualTo("mail");
            assertThat(mount.getMountPath()).isEqualTo("/var/mail");
        });
        assertThat(volumeSources(dovecot.getSpec().getTemplate().getSpec()))
                .contains("configMap:dovecot-config", "secret:mailhost-tls", "secret:mailhost-db-reader", "secret:mailhost-doveadm");

        Deployment postfix = only(Deployment.class, "postfix");
        PodSpec pod = postfix.getSpec().getTemplate().getSpec();
        assertThat(pod.getContainers()).extracting(Container::getImage).allMatch(image -> image.startsWith("mailops/postfix:"));
        assertThat(pod.getContainers()).anySatisfy(exporter -> assertThat(String.join(" ", exporter.getCommand()))
                .contains("prometheus-postfix-exporter", "--postfix.logfile_path=/var/log/postfix/postfix.log"));
        assertThat(volumeSources(pod)).contains("configMap:postfix-config", "secret:mailhost-tls", "secret:mailhost-db-reader")
                .doesNotContain("secret:mailhost-doveadm", "secret:mailhost-db-writer");

        assertThat(ports(only(Service.class, "mailhost-imap-pop3"))).containsExactlyInAnyOrder("143>10143", "993>10993",
                "110>10110", "995>10995");
        assertThat(ports(only(Service.class, "mailhost-smtp"))).containsExactlyInAnyOrder("25>10025", "587>10587",
                "465>10465");
        assertThat(ports(only(Service.class, "dovecot"))).contains("10024>10024", "10044>10044", "10425>10425");
    }

    @Test
    void onlyMailhostServiceWritesTheMailHostsDatabaseAndDovecotAndPostfixReadItAsTheReadOnlyRole() {
        Map<String, Object> spec = custom("Cluster").get(0).get("spec");
        List<?> roles = (List<?>) ((Map<?, ?>) spec.get("managed")).get("roles");
        assertThat(roles).extracting(role -> ((Map<?, ?>) role).get("name") + " <- "
                + ((Map<?, ?>) ((Map<?, ?>) role).get("passwordSecret")).get("name"))
                .contains("mailhost <- mailhost-db-writer", "mailhost_reader <- mailhost-db-reader");
        List<String> hba = ((List<?>) ((Map<?, ?>) spec.get("postgresql")).get("pg_hba")).stream().map(String::valueOf).toList();
        assertThat(hba).containsSubsequence("host mailhost mailhost all scram-sha-256",
                "host mailhost mailhost_reader all scram-sha-256", "host mailhost all all reject");
        assertThat(hba).contains("host all mailhost all reject", "host all mailhost_reader all reject");
        assertThat(custom("Database")).anySatisfy(database -> {
            assertThat(((Map<?, ?>) database.get("spec")).get("name")).isEqualTo("mailhost");
            assertThat(((Map<?, ?>) database.get("spec")).get("owner")).isEqualTo("mailhost");
        });

        // The writer's password: mailhost-service (and the grants Job, as the owner), no other workload.
        for (HasMetadata workload : workloads()) {
            String name = workload.getMetadata().getName();
            boolean writer = references(workload, "mailhost-db-writer");
            assertThat(writer).as(name + " holds the mailhost database's writer password")
                    .isEqualTo(Set.of("mailhost-service", "mailhost-db-reader-grants").contains(name));
            if (Set.of("dovecot", "postfix").contains(name)) {
                assertThat(references(workload, "mailhost-db-reader")).as(name).isTrue();
            }
        }
        Container service = only(Deployment.class, "mailhost-service").getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(service.getEnv()).filteredOn(env -> env.getName().equals("MAILHOST_DB_PASSWORD")).singleElement()
                .satisfies(env -> assertThat(env.getValueFrom().getSecretKeyRef().getName()).isEqualTo("mailhost-db-writer"));
        Job grants = only(Job.class, "mailhost-db-reader-grants");
        assertThat(String.join(" ", grants.getSpec().getTemplate().getSpec().getContainers().get(0).getCommand()))
                .contains("mail_host_grant_reader('mailhost_reader')");
    }

    @Test
    void theMailHostsSecretsAreDemandedNeverShipped() {
        assertThat(of(Secret.class)).extracting(secret -> secret.getMetadata().getName())
                .noneMatch(name -> name.startsWith("mailhost-")).doesNotContain("mailops-dkim-kek");
    }

    @Test
    void noSecretIsShippedNotEvenAPlaceholder() throws Exception {
        assertThat(of(Secret.class)).as("the operator creates every Secret (deploy/README.md)").isEmpty();
        try (var files = Files.walk(BASE)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertThat(Files.readString(file)).as(file + " holds no placeholder secret").doesNotContain("REPLACE_ME");
            }
        }
    }

    @Test
    void openDkimSignsBesideMailhostServiceWithTheKeysItWritesAndOnlyTheTwoKeepersHoldTheKeyEncryptionKey() {
        PodSpec pod = only(Deployment.class, "mailhost-service").getSpec().getTemplate().getSpec();
        Container service = pod.getContainers().get(0);
        Container signer = pod.getContainers().stream().filter(c -> c.getName().equals("opendkim")).findFirst().orElseThrow();
        assertThat(signer.getImage()).startsWith("mailops/opendkim:");
        assertThat(signer.getPorts()).extracting(port -> port.getContainerPort()).containsExactly(10891);
        String keyDirectory = env(service, "MAILHOST_DKIM_KEY_DIRECTORY");
        assertThat(env(signer, "MAILOPS_DKIM_KEY_DIRECTORY")).isEqualTo(keyDirectory);
        String sharedVolume = mountOf(service, keyDirectory);
        assertThat(mountOf(signer, keyDirectory)).as("the same volume at the same path").isEqualTo(sharedVolume);
        assertThat(pod.getVolumes()).filteredOn(volume -> volume.getName().equals(sharedVolume)).singleElement()
                .satisfies(volume -> assertThat(volume.getEmptyDir()).as("the opened keys die with the pod").isNotNull());
        assertThat(volumeSources(pod)).contains("configMap:opendkim-config", "secret:mailhost-db-reader", "secret:mailops-dkim-kek");
        assertThat(signer.getVolumeMounts()).extracting(mount -> mount.getName()).doesNotContain("dkim-kek", "doveadm");

        String kek = env(service, "MAILHOST_DKIM_KEY_ENCRYPTION_KEY_FILE");
        assertThat(mountOf(service, kek)).isEqualTo("dkim-kek");
        Container mailbox = only(Deployment.class, "mailbox-service").getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(mountOf(mailbox, env(mailbox, "MAILBOX_DKIM_KEY_ENCRYPTION_KEY_FILE"))).isEqualTo("dkim-kek");
        for (HasMetadata workload : workloads()) {
            assertThat(references(workload, "mailops-dkim-kek")).as(workload.getMetadata().getName() + " holds the DKIM key-encryption key")
                    .isEqualTo(Set.of("mailbox-service", "mailhost-service").contains(workload.getMetadata().getName()));
        }
        Map<String, String> config = only(io.fabric8.kubernetes.api.model.ConfigMap.class, "mailops-config").getData();
        assertThat(config).containsEntry("MAILBOX_DKIM_ENABLED", "true").containsEntry("DNS_PROFILE", "self-hosted")
                .containsKey("MAILBOX_DKIM_DNS_SERVERS");
        assertThat(config.get("MAILOPS_DKIM_ALGORITHM")).isEqualTo(config.get("MAILBOX_DKIM_ALGORITHM"));
        assertThat(ports(only(Service.class, "mailhost-dkim-milter"))).containsExactly("10891>10891");
    }

    @Test
    void postfixHandsOnlySubmissionAndSmtpsToTheMilterAndTheMilterAndTheDnsCheckAreAllowed() throws Exception {
        String master = Files.readString(BASE.resolve("mailhost/postfix/master.cf"));
        assertThat(master.split("\\n(?=\\S)")).as("the milter on submission and SMTPS, not on SMTP in")
                .filteredOn(service -> service.contains("smtpd_milters=inet:mailhost-dkim-milter:10891"))
                .allSatisfy(service -> assertThat(service).contains("milter_default_action=tempfail"))
                .extracting(service -> service.substring(0, service.indexOf(' ')))
                .containsExactlyInAnyOrder("10587", "10465");
        assertThat(Files.readString(BASE.resolve("mailhost/postfix/main.cf"))).doesNotContain("milters");
        String opendkim = Files.readString(BASE.resolve("mailhost/opendkim/opendkim.conf"));
        assertThat(opendkim).containsPattern("(?m)^Mode\\s+s$").containsPattern("(?m)^RequireSafeKeys\\s+yes$");
        String entrypoint = Files.readString(Repository.ROOT.resolve("deploy/images/opendkim/entrypoint.sh"));
        assertThat(entrypoint).contains("table=opendkim_key_table?keycol=key_name?datacol=domain,selector,key_path",
                "table=opendkim_signing_table?keycol=domain?datacol=key_name");

        assertThat(master.split("\\n(?=\\S)")).as("the forward route's smtpd, on loopback, signs through the forward instance")
                .filteredOn(service -> service.contains("smtpd_milters=inet:mailhost-dkim-forward-milter:10892"))
                .singleElement().satisfies(service -> assertThat(service).startsWith("127.0.0.1:10026 ")
                        .contains("milter_default_action=tempfail", "cleanup_service_name=forwardcleanup"));
        PodSpec pod = only(Deployment.class, "mailhost-service").getSpec().getTemplate().getSpec();
        Container forwardSigner = pod.getContainers().stream().filter(c -> c.getName().equals("opendkim-forward")).findFirst()
                .orElseThrow();
        assertThat(env(forwardSigner, "MAILOPS_DKIM_PORT")).isEqualTo("10892");
        assertThat(env(forwardSigner, "MAILOPS_DKIM_SENDER_HEADERS")).isEqualTo("X-Original-To");
        assertThat(ports(only(Service.class, "mailhost-dkim-forward-milter"))).containsExactly("10892>10892");

        List<NetworkPolicy> policies = of(NetworkPolicy.class);
        assertThat(allowedFrom(policies, "mailhost-service", 10891)).containsExactly("postfix");
        assertThat(allowedFrom(policies, "mailhost-service", 10892)).containsExactly("postfix");
        assertThat(allowedFrom(policies, "dns-service", 10053)).contains("mailbox-service");
    }

    @Test
    void bouncesToSrsAddressesGoBackThroughPostsrsdOnlyForTheSrsDomainAsTheLocalScriptHasIt() throws Exception {
        String main = Files.readString(BASE.resolve("mailhost/postfix/main.cf"));
        assertThat(main).contains(
                "recipient_canonical_maps = pipemap:{regexp:/run/mailops/postfix/srs-recipients.regexp, tcp:127.0.0.1:10702}",
                "recipient_canonical_classes = envelope_recipient");
        String script = Files.readString(Repository.ROOT.resolve("infra/mailhost.sh"));
        assertThat(script).contains("recipient_canonical_classes = envelope_recipient", "virtual_alias_domains = $SRS_DOMAIN",
                "recipient_canonical_maps = pipemap:{regexp:$POSTFIX_CONF/srs-recipients.regexp, tcp:127.0.0.1:$((SRS_PORT + 1))}");
        // The one rule of the regexp table, the SRS domain put in by the entrypoint here, by the script locally.
        String rule = Files.readAllLines(BASE.resolve("mailhost/postfix/srs-recipients.regexp")).stream()
                .filter(line -> line.startsWith("/")).findFirst().orElseThrow();
        assertThat(rule).isEqualTo("/^(srs[01][-+=][^@]+@@SRS_DOMAIN_PATTERN@)$/ $1");
        assertThat(script).contains(rule.replace("@SRS_DOMAIN_PATTERN@", "%s"));
        String entrypoint = Files.readString(Repository.ROOT.resolve("deploy/images/postfix/entrypoint.sh"));
        assertThat(entrypoint).contains("\"virtual_alias_domains = $SRS_DOMAIN\"", "@SRS_DOMAIN_PATTERN@", "-r 10702");
    }

    @Test
    void everyServiceRunsWithTheJvmBoundsOfTheLocalRunAndAMemoryLimitAboveThem() throws Exception {
        for (String service : SERVICES) {
            Container container = only(Deployment.class, service).getSpec().getTemplate().getSpec().getContainers().get(0);
            assertThat(env(container, "JAVA_OPTS_APPEND")).as(service).isEqualTo(Repository.serviceJvmOptions(service));
            assertThat(env(container, "MALLOC_ARENA_MAX")).as(service).isEqualTo("2");
            assertThat(container.getResources().getLimits().get("memory").toString()).as(service).isIn("384Mi", "448Mi");
        }
    }

    private static String env(Container container, String name) {
        return container.getEnv().stream().filter(env -> env.getName().equals(name)).map(EnvVar::getValue).findFirst()
                .orElseThrow(() -> new AssertionError(container.getName() + " has no " + name));
    }

    /** The volume mounted at the path or at a folder above it. */
    private static String mountOf(Container container, String path) {
        return container.getVolumeMounts().stream().filter(mount -> path.equals(mount.getMountPath())
                || path.startsWith(mount.getMountPath() + "/")).map(mount -> mount.getName()).findFirst()
                .orElseThrow(() -> new AssertionError(container.getName() + " mounts nothing at " + path));
    }

    @Test
    void onlyMailhostServiceMayReadTheCredentialsAndOnlyMailboxServiceWriteThem() {
        GenericKubernetesResource credentials = custom("KafkaTopic").stream()
                .filter(topic -> topic.getMetadata().getName().equals("mailbox.credentials")).findFirst().orElseThrow();
        assertThat(((Map<?, ?>) ((Map<?, ?>) credentials.get("spec")).get("config")).get("cleanup.policy")).isEqualTo("compact");

        Map<String, Object> kafka = ((Map<String, Object>) custom("Kafka").get(0).get("spec"));
        Map<?, ?> broker = (Map<?, ?>) kafka.get("kafka");
        assertThat(((Map<?, ?>) broker.get("authorization")).get("type")).isEqualTo("simple");
        assertThat(broker.get("listeners").toString()).contains("scram-sha-512");

        Map<String, Set<String>> rights = new java.util.TreeMap<>();
        for (GenericKubernetesResource user : custom("KafkaUser")) {
            Map<?, ?> authorization = (Map<?, ?>) ((Map<?, ?>) user.get("spec")).get("authorization");
            for (Object acl : (List<?>) authorization.get("acls")) {
                Map<?, ?> resource = (Map<?, ?>) ((Map<?, ?>) acl).get("resource");
                if (String.valueOf(resource.get("name")).startsWith("mailbox.credentials")
                        || !"literal".equals(resource.get("patternType"))) {
                    for (Object operation : (List<?>) ((Map<?, ?>) acl).get("operations")) {
                        rights.computeIfAbsent(resource.get("name") + " " + operation, key -> new java.util.TreeSet<>())
                                .add(user.getMetadata().getName());
                    }
                }
            }
        }
        assertThat(rights.get("mailbox.credentials Read")).containsExactly("mailhost-service");
        assertThat(rights.get("mailbox.credentials Write")).containsExactly("mailbox-service");
        assertThat(rights.get("mailbox.credentials.mailhost-dlq Write")).containsExactly("mailhost-service");
        assertThat(rights.keySet()).as("no prefix or wildcard ACL reaches the credentials")
                .allMatch(right -> right.startsWith("mailbox.credentials") || right.startsWith("gateway-feed- "));

        for (String service : SERVICES) {
            Container container = only(Deployment.class, service).getSpec().getTemplate().getSpec().getContainers().get(0);
            assertThat(container.getEnv()).as(service + " logs in to Kafka as its own KafkaUser")
                    .filteredOn(env -> env.getName().equals("KAFKA_SASL_JAAS_CONFIG")).singleElement()
                    .satisfies(env -> assertThat(env.getValueFrom().getSecretKeyRef().getName()).isEqualTo(service));
            assertThat(custom("KafkaUser")).extracting(user -> user.getMetadata().getName()).contains(service);
        }
    }

    @Test
    void kafkaTakesClientsOnlyOverTlsWithALoginAndTheServicesUseThatListener() {
        Map<?, ?> broker = (Map<?, ?>) ((Map<?, ?>) custom("Kafka").get(0).get("spec")).get("kafka");
        List<?> listeners = (List<?>) broker.get("listeners");
        assertThat(listeners).isNotEmpty().allSatisfy(listener -> {
            Map<?, ?> it = (Map<?, ?>) listener;
            assertThat(it.get("tls")).as(it.get("name") + " is TLS").isEqualTo(true);
            assertThat(((Map<?, ?>) it.get("authentication")).get("type")).as(it.get("name") + " needs a login")
                    .isIn("scram-sha-512", "tls");
        });
        assertThat(((Map<?, ?>) broker.get("authorization")).get("type")).isEqualTo("simple");
        int port = ((Number) ((Map<?, ?>) listeners.get(0)).get("port")).intValue();

        Map<String, String> config = only(io.fabric8.kubernetes.api.model.ConfigMap.class, "mailops-config").getData();
        assertThat(config).containsEntry("KAFKA_BOOTSTRAP_SERVERS", "mailops-kafka-kafka-bootstrap:" + port)
                .containsEntry("KAFKA_SECURITY_PROTOCOL", "SASL_SSL").containsEntry("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512")
                .containsEntry("KAFKA_SSL_TRUSTSTORE_TYPE", "PEM");
        String truststore = config.get("KAFKA_SSL_TRUSTSTORE_LOCATION");
        for (String service : SERVICES) {
            PodSpec pod = only(Deployment.class, service).getSpec().getTemplate().getSpec();
            assertThat(pod.getVolumes()).as(service + " trusts the cluster CA")
                    .filteredOn(volume -> volume.getName().equals(mountOf(pod.getContainers().get(0), truststore)))
                    .singleElement().satisfies(volume -> assertThat(volume.getSecret().getSecretName())
                            .isEqualTo("mailops-kafka-cluster-ca-cert"));
            assertThat(pod.getContainers().get(0).getEnvFrom()).as(service + " gets the Kafka settings")
                    .anySatisfy(from -> assertThat(from.getConfigMapRef().getName()).isEqualTo("mailops-config"));
        }
        NetworkPolicy kafka = only(NetworkPolicy.class, "kafka-ingress");
        assertThat(kafka.getSpec().getIngress().get(0).getPorts()).extracting(p -> p.getPort().getIntVal()).containsExactly(port);
    }

    @Test
    void everyServiceIsAKafkaUserWithTheRightsOfTheTopicsItsConfigurationUsesAndNoMore() throws Exception {
        Map<String, Map<String, Set<String>>> granted = kafkaRights();
        assertThat(granted.keySet()).as("a KafkaUser per service, no other").containsExactlyInAnyOrderElementsOf(SERVICES);
        for (String service : SERVICES) {
            Map<String, Set<String>> needed = neededRights(service);
            Map<String, Set<String>> has = granted.get(service);
            needed.forEach((resource, operations) -> assertThat(has.getOrDefault(resource, Set.of()))
                    .as(service + " on " + resource).containsAll(operations));
            has.forEach((resource, operations) -> {
                Set<String> beyondDescribe = new java.util.TreeSet<>(operations);
                beyondDescribe.remove("Describe");
                assertThat(needed.getOrDefault(resource, Set.of())).as(service + " needs what it may do on " + resource)
                        .containsAll(beyondDescribe);
            });
        }
    }

    @Test
    void onlyMailboxServiceWritesTheEventsTheGatewayOnlyItsUsersAndNobodyAdministersTheCluster() {
        Map<String, Map<String, Set<String>>> granted = kafkaRights();
        granted.forEach((user, rights) -> rights.forEach((resource, operations) -> {
            assertThat(resource).as(user + ": topics and groups only, no cluster right and no wildcard")
                    .matches("(topic|group|group-prefix):[^*]+");
            assertThat(operations).as(user + " on " + resource).isSubsetOf("Read", "Write", "Describe");
        }));
        assertThat(granted.entrySet()).filteredOn(user -> user.getValue().getOrDefault("topic:mailbox.events", Set.of())
                .contains("Write")).extracting(Map.Entry::getKey).containsExactly("mailbox-service");
        // the gateway reads mailbox.events for the live feed and writes only its users' lifecycle, which only it writes
        granted.get("gateway").forEach((resource, operations) -> assertThat(operations).as("gateway on " + resource)
                .isSubsetOf(resource.equals("topic:gateway.users") ? Set.of("Write", "Describe") : Set.of("Read", "Describe")));
        assertThat(granted.get("gateway")).containsOnlyKeys("topic:mailbox.events", "group-prefix:gateway-feed-",
                "topic:gateway.users");
        assertThat(granted.entrySet()).filteredOn(user -> user.getValue().getOrDefault("topic:gateway.users", Set.of())
                .contains("Write")).extracting(Map.Entry::getKey).containsExactly("gateway");
    }

    /** Per KafkaUser: "topic:name", "group:name" or "group-prefix:name" and its operations. */
    private static Map<String, Map<String, Set<String>>> kafkaRights() {
        Map<String, Map<String, Set<String>>> rights = new java.util.TreeMap<>();
        for (GenericKubernetesResource user : custom("KafkaUser")) {
            Map<String, Set<String>> of = rights.computeIfAbsent(user.getMetadata().getName(), name -> new java.util.TreeMap<>());
            Map<?, ?> spec = (Map<?, ?>) user.get("spec");
            assertThat(((Map<?, ?>) spec.get("authentication")).get("type")).isIn("scram-sha-512", "tls");
            for (Object acl : (List<?>) ((Map<?, ?>) spec.get("authorization")).get("acls")) {
                Map<?, ?> resource = (Map<?, ?>) ((Map<?, ?>) acl).get("resource");
                String type = String.valueOf(resource.get("type"));
                String key = type + ("prefix".equals(resource.get("patternType")) ? "-prefix:" : ":") + resource.get("name");
                for (Object operation : (List<?>) ((Map<?, ?>) acl).get("operations")) {
                    of.computeIfAbsent(key, k -> new java.util.TreeSet<>()).add(String.valueOf(operation));
                }
            }
        }
        return rights;
    }

    /** What the service's own application.properties reads and writes (the defaults of its expressions). */
    private static Map<String, Set<String>> neededRights(String service) throws Exception {
        java.util.Properties properties = new java.util.Properties();
        try (var in = Files.newInputStream(Repository.ROOT.resolve(service + "/src/main/resources/application.properties"))) {
            properties.load(in);
        }
        Map<String, Set<String>> needed = new java.util.TreeMap<>();
        Pattern channel = Pattern.compile("mp\\.messaging\\.(incoming|outgoing)\\.[^.]+\\.(topic|group\\.id|dead-letter-queue\\.topic)");
        for (String key : properties.stringPropertyNames()) {
            Matcher matcher = channel.matcher(key);
            if (!matcher.matches()) {
                continue;
            }
            String value = Pattern.compile("\\$\\{[^:}]+:([^}]*)}").matcher(properties.getProperty(key))
                    .replaceAll(found -> Matcher.quoteReplacement(found.group(1)));
            String resource = switch (matcher.group(2)) {
                case "group.id" -> value.contains("${") ? "group-prefix:" + value.substring(0, value.indexOf("${")) : "group:" + value;
                default -> "topic:" + value;
            };
            String operation = matcher.group(1).equals("outgoing") || matcher.group(2).startsWith("dead-letter") ? "Write" : "Read";
            needed.computeIfAbsent(resource, r -> new java.util.TreeSet<>()).add(operation);
        }
        assertThat(needed).as(service + " uses Kafka").isNotEmpty();
        return needed;
    }

    @Test
    void theMailHostsPortsAreOpenOnlyToWhoNeedsThem() {
        List<NetworkPolicy> policies = of(NetworkPolicy.class);
        assertThat(allowedFrom(policies, "dovecot", 10024)).containsExactly("postfix");
        assertThat(allowedFrom(policies, "dovecot", 10044)).containsExactly("postfix");
        assertThat(allowedFrom(policies, "dovecot", 10425)).containsExactly("mailhost-service");
        assertThat(allowedFrom(policies, "dovecot", 10993)).containsExactly("anywhere");
        assertThat(allowedFrom(policies, "postfix", 10025)).containsExactly("anywhere");
        assertThat(allowedFrom(policies, "mailhost-service", 8084)).isEmpty();
        NetworkPolicy kafka = only(NetworkPolicy.class, "kafka-ingress");
        assertThat(kafka.getSpec().getIngress().get(0).getFrom().get(0).getPodSelector().getMatchExpressions())
                .anySatisfy(expression -> {
                    assertThat(expression.getOperator()).isEqualTo("NotIn");
                    assertThat(expression.getValues()).contains("dovecot", "postfix");
                });
    }

    @Test
    void theMailHostsConfigurationIsGeneratedFromFilesWithTheQueriesOfTheLocalScript() throws Exception {
        JsonNode kustomization = new ObjectMapper(new YAMLFactory()).readTree(BASE.resolve("kustomization.yaml").toFile());
        Map<String, List<String>> generated = new java.util.HashMap<>();
        for (JsonNode generator : kustomization.get("configMapGenerator")) {
            List<String> files = new ArrayList<>();
            generator.get("files").forEach(file -> files.add(file.asText()));
            generated.put(generator.get("name").asText(), files);
        }
        assertThat(generated.get("dovecot-config")).contains("mailhost/dovecot/dovecot.conf", "mailhost/dovecot/dovecot-sql.conf.ext");
        assertThat(generated.get("postfix-config")).contains("mailhost/postfix/main.cf", "mailhost/postfix/master.cf",
                "mailhost/postfix/pgsql-domains.cf", "mailhost/postfix/pgsql-mailboxes.cf", "mailhost/postfix/pgsql-aliases.cf",
                "mailhost/postfix/pgsql-sender-logins.cf", "mailhost/postfix/srs-recipients.regexp");
        for (List<String> files : generated.values()) {
            for (String file : files) {
                assertThat(BASE.resolve(file)).exists();
            }
        }
        String script = Files.readString(Repository.ROOT.resolve("infra/mailhost.sh"));
        String sql = Files.readString(BASE.resolve("mailhost/dovecot/dovecot-sql.conf.ext"));
        for (String query : List.of("password_query", "iterate_query", "default_pass_scheme")) {
            assertThat(sql).as(query).contains(line(script, query));
        }
        assertThat(sql.replace("'/var/mail/'", "'$MAIL_ROOT/'")).contains(line(script, "user_query"));
        for (String map : List.of("domains", "mailboxes", "aliases", "sender-logins")) {
            Matcher local = Pattern.compile("pgsql_map " + map + " \"([^\"]+)\"").matcher(script);
            assertThat(local.find()).as(map).isTrue();
            assertThat(Files.readString(BASE.resolve("mailhost/postfix/pgsql-" + map + ".cf")))
                    .contains("query = " + local.group(1));
        }
        String dovecot = Files.readString(BASE.resolve("mailhost/dovecot/dovecot.conf"));
        assertThat(dovecot).contains("auth_cache_size = 0", "disable_plaintext_auth = yes", "quota = count:User quota",
                "metric auth_success {", "metric auth_failure {", "metric mail_delivery {", "inet_listener http {");
        String main = Files.readString(BASE.resolve("mailhost/postfix/main.cf"));
        assertThat(main).contains("virtual_transport = lmtp:inet:dovecot:10024", "smtpd_sasl_path = inet:dovecot:10044",
                "smtpd_recipient_restrictions = reject_unlisted_recipient", "smtpd_tls_auth_only = yes",
                "smtpd_sender_login_maps = proxy:pgsql:/run/mailops/postfix/pgsql-sender-logins.cf");
        String master = Files.readString(BASE.resolve("mailhost/postfix/master.cf"));
        assertThat(master.split("\\n(?=\\S)")).as("the sender check on submission and SMTPS, not on SMTP in")
                .filteredOn(service -> service.contains("smtpd_sender_restrictions=reject_sender_login_mismatch"))
                .extracting(service -> service.substring(0, service.indexOf(' ')))
                .containsExactlyInAnyOrder("10587", "10465");
    }

    /** The script's line that sets {@code key}, as far as it is the same on both sides. */
    private static String line(String script, String key) {
        Matcher matcher = Pattern.compile("(?m)^" + key + " = (.*)$").matcher(script);
        assertThat(matcher.find()).as(key + " in infra/mailhost.sh").isTrue();
        return key + " = " + matcher.group(1).replace("\\\\", "\\");
    }

    private static List<String> volumeSources(PodSpec pod) {
        return pod.getVolumes().stream().map(volume -> volume.getConfigMap() != null ? "configMap:" + volume.getConfigMap().getName()
                : volume.getSecret() != null ? "secret:" + volume.getSecret().getSecretName() : "other:" + volume.getName()).toList();
    }

    private static List<String> ports(Service service) {
        return service.getSpec().getPorts().stream()
                .map((ServicePort port) -> port.getPort() + ">" + port.getTargetPort().getIntVal()).toList();
    }

    private static List<HasMetadata> workloads() {
        return resources.stream().filter(r -> r instanceof Deployment || r instanceof StatefulSet || r instanceof Job).toList();
    }

    private static PodSpec podOf(HasMetadata workload) {
        if (workload instanceof Deployment deployment) {
            return deployment.getSpec().getTemplate().getSpec();
        }
        if (workload instanceof StatefulSet statefulSet) {
            return statefulSet.getSpec().getTemplate().getSpec();
        }
        return ((Job) workload).getSpec().getTemplate().getSpec();
    }

    /** Whether the workload's pods can see the Secret: mounted, or an environment variable from it. */
    private static boolean references(HasMetadata workload, String secret) {
        PodSpec pod = podOf(workload);
        boolean mounted = pod.getVolumes() != null && pod.getVolumes().stream()
                .anyMatch(volume -> volume.getSecret() != null && secret.equals(volume.getSecret().getSecretName()));
        boolean inEnvironment = pod.getContainers().stream().anyMatch(container -> (container.getEnv() == null ? List.<EnvVar>of()
                : container.getEnv()).stream().anyMatch(env -> env.getValueFrom() != null && env.getValueFrom().getSecretKeyRef() != null
                        && secret.equals(env.getValueFrom().getSecretKeyRef().getName()))
                || (container.getEnvFrom() != null && container.getEnvFrom().stream()
                        .anyMatch(from -> from.getSecretRef() != null && secret.equals(from.getSecretRef().getName()))));
        return mounted || inEnvironment;
    }

    /** Who the policies let reach {@code app}'s {@code port}: app names, "anywhere", or nobody. */
    private static List<String> allowedFrom(List<NetworkPolicy> policies, String app, int port) {
        List<String> from = new ArrayList<>();
        for (NetworkPolicy policy : policies) {
            Map<String, String> selected = policy.getSpec().getPodSelector().getMatchLabels();
            if (selected == null || !app.equals(selected.get("app.kubernetes.io/name")) || policy.getSpec().getIngress() == null) {
                continue;
            }
            for (var rule : policy.getSpec().getIngress()) {
                boolean coversPort = rule.getPorts() == null || rule.getPorts().isEmpty()
                        || rule.getPorts().stream().anyMatch(p -> p.getPort().getIntVal() == port);
                if (!coversPort) {
                    continue;
                }
                if (rule.getFrom() == null || rule.getFrom().isEmpty()) {
                    from.add("anywhere");
                } else {
                    for (NetworkPolicyPeer peer : rule.getFrom()) {
                        from.add(peer.getPodSelector() == null || peer.getPodSelector().getMatchLabels() == null ? "selector"
                                : peer.getPodSelector().getMatchLabels().getOrDefault("app.kubernetes.io/name", "selector"));
                    }
                }
            }
        }
        return from;
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
