package dev.mailops.bench.chaos;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.mailops.bench.load.Workload;
import dev.mailops.bench.observe.Topics;
import dev.mailops.bench.system.LocalSystem;
import dev.mailops.testinfra.MailClient;

/**
 * What must hold after any fault, checked against the stores and topics themselves once the system
 * has settled: each printed as a figure, each a pass or a violation.
 */
public final class Invariants {

    public record Check(String invariant, String figure, boolean holds, double seconds) {
    }

    private static final Set<String> BILLED = Set.of("MailboxCreated", "MailboxDeleted", "FeeChanged");
    /** Billing's and DNS's state without what a rebuild may legitimately change (ids, clocks, serials). */
    private static final Map<String, List<String>> BILLING_STATE = Map.of(
            "contract", List.of("select tenant_id, revision, basic_fee_plan, active_mailboxes, mailboxes_monthly_net, "
                    + "basic_fee_monthly_net, created_at, updated_at from contract"),
            "basic fee periods", List.of("select tenant_id, plan, monthly_net_price, starts_at, ends_at from basic_fee_period"),
            "contract lines", List.of("select mailbox_id, tenant_id, address, rate, monthly_net_price, starts_at, ends_at "
                    + "from contract_line"),
            "revisions", List.of("select tenant_id, revision, cause_event_id, cause_event_type, cause_subject, "
                    + "occurred_at, change, basic_fee_plan, active_mailboxes, monthly_net_total from contract_revision"));
    private static final Map<String, List<String>> DNS_STATE = Map.of(
            "zones", List.of("select domain, tenant_id from dns_zone"),
            "records", List.of("select domain, tenant_id, name, type, ttl, value, managed_by from dns_record"));

    /** What Dovecot and Postfix read, without the clocks a rebuild may legitimately change. */
    private static final Map<String, List<String>> MAILHOST_STATE = Map.of(
            "domains", List.of("select domain, tenant_id from mail_domain"),
            "mailboxes", List.of("select id, tenant_id, address, domain, rate, quota_bytes, maildir, keep_copy, active "
                    + "from mailbox"),
            "credentials", List.of("select mailbox_id, password_hash from mailbox_credential"),
            "aliases", List.of("select address, mailbox_id from alias"),
            "forwardings", List.of("select mailbox_id, target from forwarding"));

    private final LocalSystem system;
    private final List<Check> checks = new ArrayList<>();
    private long lastCheck = System.nanoTime();

    public Invariants(LocalSystem system) {
        this.system = system;
    }

    public List<Check> verify(List<Workload.Outcome> outcomes) throws SQLException, IOException, InterruptedException {
        List<String> accepted = outcomes.stream().filter(o -> o.isCommand() && o.accepted())
                .map(Workload.Outcome::requestId).toList();
        Map<String, Workload.Outcome> byRequest = new HashMap<>();
        outcomes.forEach(o -> byRequest.put(o.requestId(), o));
        List<String> failed = outcomes.stream().filter(o -> o.isCommand() && (o.status() == 0 || o.status() >= 500))
                .map(Workload.Outcome::requestId).toList();
        try (Connection mailbox = system.connect("mailbox")) {
            Map<String, Integer> acceptedEvents = eventsPerCorrelation(mailbox, accepted);
            long exactlyOnce = accepted.stream().filter(id -> acceptedEvents.getOrDefault(id, 0) == 1).count();
            List<String> missing = accepted.stream().filter(id -> acceptedEvents.getOrDefault(id, 0) != 1)
                    .map(id -> byRequest.get(id).operation().label() + " " + id + " (" + acceptedEvents.getOrDefault(id, 0)
                            + " events)").limit(5).toList();
            check("every 2xx command is in the event store exactly once", exactlyOnce + " of " + accepted.size()
                    + (missing.isEmpty() ? "" : ", not once: " + missing), exactlyOnce == accepted.size());
            Map<String, Integer> failedEvents = eventsPerCorrelation(mailbox, failed);
            long doubled = failedEvents.values().stream().filter(n -> n > 1).count();
            check("a 5xx or timed-out command left all of its events or none", failed.size() + " failed, "
                    + failedEvents.size() + " of them committed before the fault, " + doubled + " partial or doubled",
                    doubled == 0);
            long orphanClaims = count(mailbox, """
                    select count(*) from address_claim c where c.blocked_until is null
                       and not exists (select 1 from mailbox_view m where m.address = c.address)
                       and not exists (select 1 from alias_view a where a.address = c.address)""");
            long orphanCredentials = count(mailbox, """
                    select count(*) from mailbox_credential c
                     where not exists (select 1 from mailbox_view m where m.mailbox_id = c.mailbox_id)""");
            long liveByEvents = count(mailbox, "select count(*) filter (where event_type = 'MailboxCreated') - "
                    + "count(*) filter (where event_type = 'MailboxDeleted') from event_store");
            long liveInView = count(mailbox, "select count(*) from mailbox_view");
            check("no partial write: claims, credentials and the mailbox view agree with the events",
                    orphanClaims + " orphan claims, " + orphanCredentials + " orphan credentials, " + liveInView
                            + " mailboxes in the view for " + liveByEvents + " by the events",
                    orphanClaims == 0 && orphanCredentials == 0 && liveInView == liveByEvents);
            releases(mailbox);
            topicAgainstStore(mailbox);
            mailHostLogins(mailbox);
            mailHostDeliveries(mailbox);
        }
        rebuildEquals("billing", system.billingUrl(), BILLING_STATE);
        rebuildEquals("dns", system.dnsUrl(), DNS_STATE);
        rebuildEquals("mailhost", system.mailhostUrl(), MAILHOST_STATE);
        return checks;
    }

    /** Every event of the store is on the topic; every billed event was applied once; every domain has its zone. */
    private void topicAgainstStore(Connection mailbox) throws SQLException {
        Map<String, Integer> published = new HashMap<>();
        Map<String, Long> firstOffset = new HashMap<>();
        Set<String> billedOnTopic = new HashSet<>();
        Set<String> domainsOnTopic = new HashSet<>();
        Topics.readAll(system.eventsTopic(), record -> {
            String id = Topics.header(record, "ce_id");
            published.merge(id, 1, Integer::sum);
            firstOffset.putIfAbsent(id, record.offset());
            String type = Topics.header(record, "ce_type");
            if (BILLED.contains(type)) {
                billedOnTopic.add(id);
            }
            if ("DomainAdded".equals(type)) {
                domainsOnTopic.add(Topics.header(record, "ce_subject"));
            }
        });
        List<String> stored = strings(mailbox, "select event_id::text from event_store");
        long missing = stored.stream().filter(id -> !published.containsKey(id)).count();
        long resent = published.values().stream().filter(n -> n > 1).count();
        check("every stored event is on mailbox.events", stored.size() + " stored, " + missing + " missing, " + resent
                + " published more than once (at-least-once)", missing == 0);
        streamOrderOnTopic(mailbox, firstOffset);
        try (Connection billing = system.connect("billing"); Connection dns = system.connect("dns")) {
            Set<String> applied = new HashSet<>(strings(billing, "select event_id::text from processed_event"));
            long notApplied = billedOnTopic.stream().filter(id -> !applied.contains(id)).count();
            long revisions = count(billing, "select count(*) from contract_revision");
            long distinctCauses = count(billing, "select count(distinct cause_event_id) from contract_revision");
            check("every billed event applied in billing exactly once", billedOnTopic.size() + " billed events, "
                    + notApplied + " not applied, " + revisions + " revisions from " + distinctCauses + " causes",
                    notApplied == 0 && revisions == distinctCauses);
            Set<String> zones = new HashSet<>(strings(dns, "select domain from dns_zone"));
            long unprovisioned = domainsOnTopic.stream().filter(domain -> !zones.contains(domain)).count();
            check("every added domain has its zone in DNS", domainsOnTopic.size() + " domains, " + unprovisioned
                    + " without a zone", unprovisioned == 0);
        }
    }

    /**
     * A consumer keeps the first copy of each event and drops the re-sent ones, so what it applies is the
     * order of first copies: within every stream (whose events share a key, so a partition), those must
     * come in the stream's own order, or a mailbox deleted before it was created lives on downstream.
     */
    private void streamOrderOnTopic(Connection mailbox, Map<String, Long> firstOffset) throws SQLException {
        List<String> outOfOrder = new ArrayList<>();
        long streams = 0;
        try (var rows = mailbox.createStatement().executeQuery(
                "select stream_id, stream_version, event_id::text from event_store order by stream_id, stream_version")) {
            String stream = null;
            long previous = -1;
            while (rows.next()) {
                if (!rows.getString(1).equals(stream)) {
                    stream = rows.getString(1);
                    previous = -1;
                    streams++;
                }
                Long offset = firstOffset.get(rows.getString(3)); // none: counted as missing above
                if (offset != null) {
                    if (offset < previous) {
                        outOfOrder.add(stream + " v" + rows.getInt(2));
                    }
                    previous = offset;
                }
            }
        }
        check("every stream's events are first on mailbox.events in the stream's order", streams + " streams, "
                + outOfOrder.size() + " events before their predecessor"
                + (outOfOrder.isEmpty() ? "" : ": " + outOfOrder.stream().limit(5).toList()), outOfOrder.isEmpty());
    }

    /**
     * Every mailbox the store holds as live logs in to the real mail host over IMAPS with its password,
     * and every deleted one is refused. The caller waited for mailhost-service's group on mailbox.events;
     * the passwords come on mailbox.credentials, and Dovecot recovers from PostgreSQL's restart on its own,
     * so the check waits a while for those; what still differs then is a violation.
     */
    private void mailHostLogins(Connection mailbox) throws SQLException {
        List<String> live = strings(mailbox, "select address from mailbox_view order by address");
        List<String> deleted = strings(mailbox, """
                select distinct payload->>'address' from event_store where event_type = 'MailboxDeleted'
                except select address from mailbox_view""");
        MailClient client = system.mailHost().client();
        List<String> wrong = new ArrayList<>();
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
        List<String> pendingLive = new ArrayList<>(live);
        List<String> pendingDeleted = new ArrayList<>(deleted);
        do {
            wrong.clear();
            Set<String> loggedIn = loggingIn(client, pendingLive, pendingDeleted);
            pendingLive.removeIf(loggedIn::contains);
            pendingDeleted.removeIf(address -> !loggedIn.contains(address));
            pendingLive.forEach(address -> wrong.add(address + " cannot log in"));
            pendingDeleted.forEach(address -> wrong.add(address + " (deleted) still logs in"));
        } while (!wrong.isEmpty() && System.nanoTime() < deadline && pause());
        check("every live mailbox logs in to the mail host (IMAPS) and every deleted one is refused",
                live.size() + " live, " + deleted.size() + " deleted, " + wrong.size() + " wrong"
                        + (wrong.isEmpty() ? "" : ": " + wrong.stream().limit(5).toList()), wrong.isEmpty());
    }

    /**
     * Postfix takes mail for every live mailbox and refuses every deleted address at RCPT (550), after
     * PostgreSQL was restarted under it: without the mail host's recovery, its lookups would answer 451
     * until someone reloaded it. Waits a while like the login check; what still differs then is a violation.
     */
    private void mailHostDeliveries(Connection mailbox) throws SQLException {
        List<String> live = strings(mailbox, "select address from mailbox_view order by address");
        List<String> deleted = strings(mailbox, """
                select distinct payload->>'address' from event_store where event_type = 'MailboxDeleted'
                except select address from mailbox_view""");
        List<String> recipients = new ArrayList<>(live);
        recipients.addAll(deleted);
        MailClient client = system.mailHost().client();
        List<String> wrong = new ArrayList<>();
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
        do {
            wrong.clear();
            wrong.addAll(misdelivered(client, recipients, live.size()));
        } while (!wrong.isEmpty() && System.nanoTime() < deadline && pause());
        check("Postfix takes mail for every live mailbox and refuses every deleted address (550), no 451",
                live.size() + " live, " + deleted.size() + " deleted, " + wrong.size() + " wrong"
                        + (wrong.isEmpty() ? "" : ": " + wrong.stream().limit(5).toList()), wrong.isEmpty());
    }

    /**
     * Sends one mail to each recipient over SMTP in, several connections at once and ten recipients per
     * connection (Postfix ends a session after 20 refused ones); the first {@code live} must get 250, the
     * rest 550. Returns what differs.
     */
    private static List<String> misdelivered(MailClient client, List<String> recipients, int live) {
        java.util.concurrent.ExecutorService senders = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<List<String>>> groups = new ArrayList<>();
            for (int start = 0; start < recipients.size(); start += 10) {
                int from = start;
                List<String> group = recipients.subList(from, Math.min(from + 10, recipients.size()));
                groups.add(senders.submit(() -> {
                    List<String> wrong = new ArrayList<>();
                    try {
                        List<MailClient.Outcome> outcomes = client.sendInOneConnection("chaos@sender.example", group,
                                "after the faults");
                        for (int i = 0; i < group.size(); i++) {
                            int expected = from + i < live ? 250 : 550;
                            if (outcomes.get(i).code() != expected) {
                                wrong.add(group.get(i) + " got " + outcomes.get(i).code() + " instead of " + expected);
                            }
                        }
                    } catch (jakarta.mail.MessagingException unreachable) {
                        wrong.add("SMTP in does not answer: " + unreachable.getMessage());
                    }
                    return wrong;
                }));
            }
            List<String> wrong = new ArrayList<>();
            for (java.util.concurrent.Future<List<String>> group : groups) {
                wrong.addAll(group.get());
            }
            return wrong;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            senders.shutdownNow();
        }
    }

    /** The addresses of both lists that log in, tried a few at a time as mail clients would. */
    private static Set<String> loggingIn(MailClient client, List<String> live, List<String> deleted) {
        List<String> addresses = new ArrayList<>(live);
        addresses.addAll(deleted);
        java.util.concurrent.ExecutorService logins = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<Boolean>> outcomes = addresses.stream()
                    .map(address -> logins.submit(() -> canLogIn(client, address))).toList();
            Set<String> loggedIn = new HashSet<>();
            for (int i = 0; i < addresses.size(); i++) {
                if (outcomes.get(i).get()) {
                    loggedIn.add(addresses.get(i));
                }
            }
            return loggedIn;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            logins.shutdownNow();
        }
    }

    private static boolean canLogIn(MailClient client, String address) {
        try {
            return client.canLogIn(MailClient.Access.IMAPS, address, Workload.PASSWORD);
        } catch (jakarta.mail.MessagingException unreachable) {
            return false; // the mail host not answering counts as "cannot log in": for a live mailbox, a violation
        }
    }

    private static boolean pause() {
        try {
            Thread.sleep(1000);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Each blocked address released exactly once, by whichever of the instances got there. */
    private void releases(Connection mailbox) throws SQLException {
        long blocked = count(mailbox, """
                select (select count(*) from event_store where event_type = 'AliasRemoved')
                     + (select coalesce(sum(1 + jsonb_array_length(payload->'aliases')), 0)
                          from event_store where event_type = 'MailboxDeleted')""");
        long released = count(mailbox, "select count(*) from event_store where event_type = 'AddressReleased'");
        long twice = count(mailbox, """
                select count(*) from (select payload->>'address' from event_store where event_type = 'AddressReleased'
                                       group by 1 having count(*) > 1) doubled""");
        long stillBlocked = count(mailbox, "select count(*) from address_claim where blocked_until is not null");
        check("every quarantined address released exactly once", blocked + " quarantined, " + released
                + " released, " + twice + " released twice, " + stillBlocked + " still blocked",
                released == blocked && twice == 0 && stillBlocked == 0);
    }

    /** The service's state, then a replay from the topic, then its state again: the two must be equal. */
    private void rebuildEquals(String service, String baseUrl, Map<String, List<String>> state)
            throws SQLException, IOException, InterruptedException {
        Map<String, String> live = digest(service, state);
        HttpResponse<String> replay = replay(baseUrl);
        Map<String, String> rebuilt = digest(service, state);
        List<String> differing = live.keySet().stream().filter(table -> !live.get(table).equals(rebuilt.get(table)))
                .sorted().toList();
        check(service + "'s live state equals a clean replay of mailbox.events", replay.statusCode() == 200
                ? (differing.isEmpty() ? "equal (" + String.join(", ", new java.util.TreeSet<>(live.keySet())) + ")"
                        : "differs in " + differing)
                : "replay answered " + replay.statusCode() + " " + replay.body(),
                replay.statusCode() == 200 && differing.isEmpty());
    }

    /** A digest per table of billing's or dns-service's projection: equal digests, equal state. */
    public static Map<String, String> stateOf(LocalSystem system, String service) throws SQLException {
        return digest(system, service, "billing".equals(service) ? BILLING_STATE : DNS_STATE);
    }

    private Map<String, String> digest(String service, Map<String, List<String>> state) throws SQLException {
        return digest(system, service, state);
    }

    private static Map<String, String> digest(LocalSystem system, String service, Map<String, List<String>> state)
            throws SQLException {
        Map<String, String> digests = new HashMap<>();
        try (Connection connection = system.connect(service)) {
            for (var table : state.entrySet()) {
                digests.put(table.getKey(), strings(connection, "select count(*) || ':' || coalesce(md5(string_agg(t::text, "
                        + "'|' order by t::text)), '') from (" + table.getValue().get(0) + ") t").get(0));
            }
        }
        return digests;
    }

    /** Asks the service to rebuild its projection from mailbox.events, as an operator would. */
    public static HttpResponse<String> replay(String serviceUrl) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(serviceUrl + "/api/v1/operations/replay"))
                .header("X-Gateway-Token", LocalSystem.GATEWAY_TOKEN).header("X-Tenant-Id", "operations")
                .header("X-User-Id", "harness").header("X-User-Roles", "operator")
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * For each command, how often its most frequent event type was stored: 1 when it was applied once. A
     * command may append several events of different types (a domain's DomainAdded and DomainVerified).
     */
    private Map<String, Integer> eventsPerCorrelation(Connection connection, List<String> correlationIds)
            throws SQLException {
        Map<String, Integer> counts = new HashMap<>();
        try (PreparedStatement query = connection.prepareStatement("""
                select correlation_id, max(n) from (
                  select correlation_id, event_type, count(*) n from event_store
                   where correlation_id = any(?) and actor <> 'system:address-release' group by 1, 2) per_type
                 group by 1""")) {
            Array ids = connection.createArrayOf("varchar", correlationIds.toArray());
            query.setArray(1, ids);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    counts.put(rows.getString(1), rows.getInt(2));
                }
            }
        }
        return counts;
    }

    private static long count(Connection connection, String sql) throws SQLException {
        try (ResultSet rows = connection.createStatement().executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static List<String> strings(Connection connection, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (ResultSet rows = connection.createStatement().executeQuery(sql)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }

    private void check(String invariant, String figure, boolean holds) {
        long now = System.nanoTime();
        checks.add(new Check(invariant, figure, holds, (now - lastCheck) / 1e9));
        lastCheck = now;
    }
}
