package dev.mailops.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * deploy/kubernetes/alerts.yaml: the base applies it, and it alerts on dead letters (by reason), on
 * consumers that keep retrying or hold a poll for long, and on notices given up, over metrics the code
 * registers (counters as {@code _total}, long task timers as {@code _seconds_max}).
 */
class AlertRulesTest {

    static final Path KUBERNETES = Repository.ROOT.resolve("deploy/kubernetes");
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void theBaseAppliesAPrometheusRuleThatAlertsOnDeadLettersRetriesHeldPollsAndFailedNotices() throws IOException {
        List<String> resources = new ArrayList<>();
        YAML.readTree(KUBERNETES.resolve("kustomization.yaml").toFile()).get("resources")
                .forEach(file -> resources.add(file.asText()));
        assertThat(resources).contains("alerts.yaml");

        JsonNode rule = YAML.readTree(KUBERNETES.resolve("alerts.yaml").toFile());
        assertThat(rule.path("apiVersion").asText()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(rule.path("kind").asText()).isEqualTo("PrometheusRule");
        Map<String, String> alerts = new HashMap<>();
        rule.path("spec").path("groups").forEach(group -> group.path("rules")
                .forEach(alert -> alerts.put(alert.path("alert").asText(), alert.path("expr").asText())));
        assertThat(alerts.get("MailopsEventDeadLettered")).contains("events_dead_lettered_total", "reason");
        assertThat(alerts.get("MailopsConsumerRetryingForLong")).contains("events_retried_total");
        assertThat(alerts.get("MailopsConsumerHeld")).contains("events_poll_applying_seconds_max");
        assertThat(alerts.get("MailopsNoticeFailed")).contains("billing_notices_failed_total");
        assertThat(alerts.get("MailopsOutboxWaiting")).contains("outbox_oldest_age_seconds");
    }

    @Test
    void everyMetricAnAlertUsesIsRegisteredInTheCode() throws IOException {
        JsonNode rule = YAML.readTree(KUBERNETES.resolve("alerts.yaml").toFile());
        String sources = Repository.mainJavaSources();
        rule.path("spec").path("groups").forEach(group -> group.path("rules").forEach(alert -> {
            // a counter (name_total) or a timer's maximum (name_seconds_max), else a gauge in seconds (name_seconds)
            Matcher metric = Pattern.compile("\\b([a-z][a-z0-9]*(?:_[a-z0-9]+)+?)(?:_total(?=\\[)|_seconds_max\\b)"
                    + "|\\b([a-z][a-z0-9]*(?:_[a-z0-9]+)*_seconds)\\b").matcher(alert.path("expr").asText());
            assertThat(metric.find()).as(alert.path("alert").asText()).isTrue();
            String name = metric.group(1) != null ? metric.group(1) : metric.group(2);
            String registered = name.replace('_', '.').replace(".dead.lettered", ".dead-lettered");
            assertThat(sources).as("%s is registered as \"%s\"", name, registered)
                    .contains("\"" + registered + "\"");
        }));
    }
}
