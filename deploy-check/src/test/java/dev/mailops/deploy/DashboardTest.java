package dev.mailops.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The Grafana dashboard is valid JSON, and every metric it charts is one that something registers: the code,
 * a library, Dovecot's metric blocks, or the Postfix exporter the deployment runs.
 */
class DashboardTest {

    /** Registered by Quarkus, Micrometer and the Kafka client, not by our code. */
    static final Set<String> LIBRARY_METRICS = Set.of("http_server_requests_seconds", "kafka_consumer_fetch_manager_records_lag_max");
    /**
     * Registered by Debian's prometheus-postfix-exporter (0.3.0) from Postfix's log, as run beside Postfix in
     * deploy/kubernetes/mailhost.yaml and docker-compose.yml.
     */
    static final Set<String> POSTFIX_EXPORTER_METRICS = Set.of("postfix_smtpd_messages_rejected",
            "postfix_smtpd_sasl_authentication_failures");

    @Test
    void everyChartedMetricIsRegisteredSomewhere() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(Repository.ROOT.resolve("deploy/grafana/mailops-dashboard.json").toFile());
        assertThat(dashboard.get("panels")).isNotEmpty();
        Set<String> metrics = new TreeSet<>();
        for (JsonNode panel : dashboard.get("panels")) {
            for (JsonNode target : panel.path("targets")) {
                // metric names are the snake_case words followed by [range], {labels} or a closing parenthesis
                Matcher metric = Pattern.compile("\\b([a-z][a-z0-9]*(?:_[a-z0-9]+)+?)(?:_total|_bucket|_count|_sum)?(?=\\[|\\{|\\))")
                        .matcher(target.path("expr").asText().replaceAll("by \\([^)]*\\)", ""));
                while (metric.find()) {
                    metrics.add(metric.group(1));
                }
            }
        }
        assertThat(metrics).isNotEmpty();
        String sources = Repository.mainJavaSources();
        for (String metric : metrics) {
            if (LIBRARY_METRICS.stream().anyMatch(metric::startsWith)) {
                continue;
            }
            if (metric.startsWith("dovecot_")) {
                // Dovecot exports a "metric <name> { ... }" block as dovecot_<name>_total, locally and deployed.
                String block = "metric " + metric.substring("dovecot_".length()) + " {";
                assertThat(Files.readString(Repository.ROOT.resolve("infra/mailhost.sh"))).as(metric).contains(block);
                assertThat(Files.readString(Repository.ROOT.resolve("deploy/kubernetes/mailhost/dovecot/dovecot.conf")))
                        .as(metric).contains(block);
                continue;
            }
            if (metric.startsWith("postfix_")) {
                assertThat(POSTFIX_EXPORTER_METRICS).as("%s is one of the Postfix exporter's", metric).contains(metric);
                assertThat(Files.readString(Repository.ROOT.resolve("deploy/kubernetes/mailhost.yaml")))
                        .contains("prometheus-postfix-exporter");
                continue;
            }
            String micrometerName = metric.replace('_', '.');
            String registered = micrometerName.replace(".dead.lettered", ".dead-lettered");
            assertThat(sources.contains("\"" + registered + "\""))
                    .as("%s is registered in the code as \"%s\"", metric, micrometerName).isTrue();
        }
    }
}
