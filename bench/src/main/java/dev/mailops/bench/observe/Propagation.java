package dev.mailops.bench.observe;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.mailops.bench.load.Workload;

/**
 * How long an accepted command takes to show: on mailbox.events, in billing (the ContractUpdated that
 * billing publishes after committing the revision the event caused) and in DNS (the DnsRecordsChanged
 * after the zone was stored). Commands are matched to their events by the request id the harness sent,
 * which the events carry as their correlation id; all times are the broker records' CreateTime and the
 * harness's own clock, on one machine.
 */
public final class Propagation {

    public record Figures(Histogram commandToTopic, Histogram eventToBilling, Histogram commandToBilling,
            Histogram eventToDns, long billedEvents, long unmatched, long refusedWritten) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final Map<String, Workload.Outcome> accepted = new ConcurrentHashMap<>();
    private final Set<String> refused = ConcurrentHashMap.newKeySet();

    public void record(Workload.Outcome command) {
        if (command.isCommand()) {
            if (command.accepted()) {
                accepted.put(command.requestId(), command);
            } else {
                refused.add(command.requestId());
            }
        }
    }

    public int size() {
        return accepted.size();
    }

    /** Reads the three topics (the consumers must have settled) and matches them to the accepted commands. */
    public Figures measure(String eventsTopic, String billingTopic, String dnsTopic) {
        Histogram commandToTopic = histogram();
        Map<String, Event> events = new HashMap<>();
        Set<String> written = new HashSet<>();
        long[] refusedWritten = new long[1];
        Topics.readAll(eventsTopic, record -> {
            String correlation = Topics.header(record, "ce_correlationid");
            Workload.Outcome command = accepted.get(correlation);
            if (command != null) {
                events.put(Topics.header(record, "ce_id"), Event.of(record, command));
                // A new domain writes more than one event (DomainAdded, its DKIM keys): its first counts.
                if (written.add(correlation)) {
                    commandToTopic.recordValue(Math.max(0, record.timestamp() - millis(command.sentAt())));
                }
            } else if (refused.contains(correlation)) {
                refusedWritten[0]++;
            }
        });
        return match(events, billingTopic, dnsTopic, commandToTopic, accepted.size() - written.size(),
                refusedWritten[0]);
    }

    /** The same for events written straight onto the topic, of the tenants whose ids start with the prefix. */
    public static Figures measureEvents(String eventsTopic, String billingTopic, String dnsTopic, String tenantPrefix) {
        Map<String, Event> events = new HashMap<>();
        Topics.readAll(eventsTopic, record -> {
            if (record.key() != null && record.key().startsWith(tenantPrefix)) {
                events.put(Topics.header(record, "ce_id"), Event.of(record, null));
            }
        });
        return match(events, billingTopic, dnsTopic, histogram(), 0, 0);
    }

    private record Event(Workload.Outcome command, long topicMillis, String domain) {
        static Event of(ConsumerRecord<String, String> record, Workload.Outcome command) {
            String domain = "DomainAdded".equals(Topics.header(record, "ce_type")) ? field(record.value(), "domain") : null;
            return new Event(command, record.timestamp(), domain);
        }
    }

    private static Figures match(Map<String, Event> events, String billingTopic, String dnsTopic,
            Histogram commandToTopic, long unmatched, long refusedWritten) {
        Map<String, Event> domainEvents = new HashMap<>();
        events.values().stream().filter(event -> event.domain() != null)
                .forEach(event -> domainEvents.put(event.domain(), event));
        Histogram eventToBilling = histogram();
        Histogram commandToBilling = histogram();
        long[] billed = new long[1];
        Topics.readAll(billingTopic, record -> {
            JsonNode cause = tree(record.value()).path("cause");
            Event event = events.get(cause.path("eventId").asText());
            if (event != null) {
                billed[0]++;
                eventToBilling.recordValue(Math.max(0, record.timestamp() - event.topicMillis()));
                if (event.command() != null) {
                    commandToBilling.recordValue(Math.max(0, record.timestamp() - millis(event.command().sentAt())));
                }
            }
        });
        Histogram eventToDns = histogram();
        Map<String, Boolean> seen = new HashMap<>();
        Topics.readAll(dnsTopic, record -> {
            String domain = field(record.value(), "domain");
            Event event = domainEvents.get(domain);
            if (event != null && seen.putIfAbsent(domain, true) == null) {
                eventToDns.recordValue(Math.max(0, record.timestamp() - event.topicMillis()));
            }
        });
        return new Figures(commandToTopic, eventToBilling, commandToBilling, eventToDns, billed[0], unmatched,
                refusedWritten);
    }

    static Histogram histogram() {
        return new Histogram(TimeUnit.MINUTES.toMillis(10), 3);
    }

    private static long millis(Instant instant) {
        return instant.toEpochMilli();
    }

    private static String field(String json, String name) {
        return tree(json).path(name).asText(null);
    }

    private static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Not JSON on a contract topic: " + json, e);
        }
    }
}
