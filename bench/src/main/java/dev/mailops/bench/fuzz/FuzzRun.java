package dev.mailops.bench.fuzz;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.mailops.bench.load.Api;
import dev.mailops.bench.load.Workload;
import dev.mailops.bench.report.Report;
import dev.mailops.bench.system.LocalSystem;

/**
 * Bad input at volume, through the gateway: valid requests of every write endpoint, mutated at random
 * (wrong types, missing and unknown fields, huge fields, odd unicode, broken JSON and UTF-8, wrong
 * content types, hostile paths and query strings). It counts the answers and the writes: no request
 * may get a 5xx, every 4xx must be problem+json, and no refused request may leave a write behind.
 */
public final class FuzzRun {

    public record Figures(long requests, long accepted, long clientErrors, long serverErrors, long noAnswer,
            long codecRefusals, long refusedNotProblemJson, long writesOfRefused, long unexplainedRows, long seed) {
    }

    /**
     * Answered by Vert.x's HTTP codec before any application code sees the request (request line or
     * headers too long): no hook exists to make these problem+json (quarkusio/quarkus#55082).
     */
    private static final java.util.Set<Integer> CODEC_STATUSES = java.util.Set.of(414, 431);
    /**
     * Quarkus's default {@code quarkus.http.limits.max-initial-line-length}, which the gateway keeps. Vert.x's
     * codec answers a longer request line with an HTTP/1.0 414 and closes the connection, without a
     * {@code Connection: close}; the JDK's HttpClient honours only that header and sends the next request on
     * the closed connection, which then fails with "header parser received no bytes" (41 of 150 requests
     * that followed a 414 on one client). So such a request goes on a client and connection of its own.
     */
    private static final int CODEC_MAX_REQUEST_LINE = 4096;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String[] ODD_STRINGS = {
        "", " ", "\u0000", "a\u0000b", "\u202Eevil", "\u200D\u200D", "ｆｕｌｌ＠ｗｉｄｔｈ", "аdmin", "😀😀", "e\u0301",
        "\uD800", "\r\nX-Injected: 1", "' or 1=1 --", "\"; drop table event_store; --", "../../etc/passwd", "%00",
        "<script>alert(1)</script>", "${jndi:ldap://x}", "{{7*7}}", "a@b@c", ".starts.with.dot", "ends.with.dot.",
        "a..b", "UPPER", "x".repeat(65), "y".repeat(255), "z".repeat(100_000), "١٢٣", "\t", "null", "NaN", "-1",
        "9".repeat(40), "𝔘𝔫𝔦𝔠𝔬𝔡𝔢"
    };

    private final LocalSystem system;
    private final Report report;
    private final Random random;
    private final long seed;
    /** The fuzzed tenant's system user: a valid mailbox belongs to it. */
    private String systemUser;

    public FuzzRun(LocalSystem system, Report report, long seed) {
        this.system = system;
        this.report = report;
        this.seed = seed;
        this.random = new Random(seed);
    }

    public Figures run(int requests) throws Exception {
        try (Api api = new Api(system.gatewayUrl())) {
            // Tenants of its own, should the system have served another run (the CI fuzzes after the chaos run).
            Workload workload = new Workload(api, system, system.run() + "-fuzz");
            workload.addTenants(1);
            workload.fillMailboxes(1);
            List<String> basics = workload.firstTenantBasics();
            String token = basics.get(0);
            String domain = basics.get(1);
            String mailboxId = basics.get(2);
            systemUser = Workload.systemUserOf(basics.get(3));
            Map<String, Long> rowsBefore = rows();
            record Sent(String endpoint, Api.Reply reply) {
            }
            List<Sent> sent = Collections.synchronizedList(new ArrayList<>());
            List<CompletableFuture<?>> inFlight = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                Request request = next(token, domain, mailboxId);
                inFlight.add(send(api, request).thenAccept(reply -> sent.add(new Sent(request.endpoint(), reply))));
                if (inFlight.size() >= 4) {
                    CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).join();
                    inFlight.clear();
                }
            }
            CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).join();
            Map<String, Long> rowsAfter = rows();

            long accepted = sent.stream().filter(s -> s.reply().ok()).count();
            long clientErrors = sent.stream().filter(s -> s.reply().status() >= 400 && s.reply().status() < 500).count();
            long serverErrors = sent.stream().filter(s -> s.reply().status() >= 500).count();
            long noAnswer = sent.stream().filter(s -> s.reply().status() == Api.NO_ANSWER).count();
            long codecRefusals = sent.stream().filter(s -> CODEC_STATUSES.contains(s.reply().status())).count();
            long notProblem = sent.stream().filter(s -> s.reply().status() >= 400
                    && !CODEC_STATUSES.contains(s.reply().status())
                    && !s.reply().contentType().startsWith("application/problem+json")).count();
            List<String> refused = sent.stream().filter(s -> !s.reply().ok()).map(s -> s.reply().requestId()).toList();
            long writesOfRefused = eventsOf(refused);
            // Rows that appeared although no request of that kind was accepted: a write by a refused request.
            Map<String, Long> acceptedByEndpoint = new TreeMap<>();
            sent.stream().filter(s -> s.reply().ok())
                    .forEach(s -> acceptedByEndpoint.merge(s.endpoint(), 1L, Long::sum));
            long unexplained = 0;
            for (String table : rowsBefore.keySet()) {
                long grew = rowsAfter.get(table) - rowsBefore.get(table);
                long allowed = acceptedByEndpoint.getOrDefault(WRITER.get(table), 0L);
                unexplained += Math.max(0, grew - allowed);
            }
            Map<String, Long> byStatus = new TreeMap<>();
            sent.forEach(s -> byStatus.merge(String.valueOf(s.reply().status()), 1L, Long::sum));
            Figures figures = new Figures(sent.size(), accepted, clientErrors, serverErrors, noAnswer, codecRefusals,
                    notProblem, writesOfRefused, unexplained, seed);
            report.heading("Fuzzing the API: " + requests + " mutated requests through the gateway (seed " + seed + ")");
            report.table(List.of("requests", "2xx", "4xx", "5xx", "no answer", "414/431 from the HTTP codec",
                    "other refusals not problem+json", "events written by refused requests",
                    "rows no accepted request explains"), List.of(List.of(
                            String.valueOf(figures.requests()), String.valueOf(accepted), String.valueOf(clientErrors),
                            String.valueOf(serverErrors), String.valueOf(noAnswer), String.valueOf(codecRefusals),
                            String.valueOf(notProblem),
                            String.valueOf(writesOfRefused), String.valueOf(unexplained))));
            report.line("").line("By status: " + byStatus + "; accepted by endpoint: " + acceptedByEndpoint + ".");
            sent.stream().filter(s -> s.reply().status() >= 500 || s.reply().status() == Api.NO_ANSWER).limit(5)
                    .forEach(s -> report.line("- " + s.endpoint() + " → " + s.reply().status() + " "
                            + s.reply().body().substring(0, Math.min(300, s.reply().body().length()))));
            return figures;
        }
    }

    private record Request(String endpoint, String method, String path, String token, String contentType, byte[] body) {

        boolean overlongRequestLine() {
            return (method + " " + path + " HTTP/1.1").length() > CODEC_MAX_REQUEST_LINE;
        }
    }

    private CompletableFuture<Api.Reply> send(Api api, Request request) {
        if (!request.overlongRequestLine()) {
            return api.send(request.method(), request.path(), request.token(), request.contentType(), request.body());
        }
        Api own = new Api(system.gatewayUrl());
        return own.send(request.method(), request.path(), request.token(), request.contentType(), request.body())
                .whenCompleteAsync((reply, failure) -> own.close());
    }

    /**
     * Which endpoint may add rows to which table (one per accepted request), and how they are counted: the
     * event store by command (its correlation id), as one command may append several events (a domain's
     * DomainAdded and DomainVerified).
     */
    private static final Map<String, String> WRITER = Map.of(
            "mailbox:event_store", "any command", "dns:dns_record", "add DNS record",
            "billing:billing_address", "set billing address", "gateway:gateway_user", "create user");
    private static final Map<String, String> ROW_COUNT = Map.of(
            "mailbox:event_store", "select count(distinct correlation_id) from event_store",
            "dns:dns_record", "select count(*) from dns_record where managed_by = 'TENANT'",
            "billing:billing_address", "select count(*) from billing_address",
            "gateway:gateway_user", "select count(*) from gateway_user");

    private Request next(String token, String domain, String mailboxId) throws Exception {
        int kind = random.nextInt(11);
        String path;
        String method;
        String endpoint;
        ObjectNode valid = NODES.objectNode();
        switch (kind) {
            case 0, 1, 2 -> {
                endpoint = "any command";
                method = "POST";
                path = "/api/v1/mailboxes";
                valid.put("localPart", "f" + random.nextInt(1_000_000)).put("domain", domain).put("firstName", "Fuzz")
                        .put("lastName", "Test").put("systemUserId", systemUser).put("password", "Fuzz-Passw0rd-1")
                        .put("passwordConfirmation", "Fuzz-Passw0rd-1").put("rate", "MAIL_LIGHT");
                valid.putArray("forwardTo").add("fwd@example.org");
                valid.put("keepCopy", true);
            }
            case 3, 4 -> {
                endpoint = "any command";
                method = "POST";
                path = "/api/v1/mailboxes/" + (random.nextInt(4) == 0 ? urlish(odd()) : mailboxId) + "/aliases";
                valid.put("localPart", "al" + random.nextInt(1_000_000)).put("domain", domain);
            }
            case 5 -> {
                endpoint = "any command";
                method = "PUT";
                path = "/api/v1/basic-fee";
                valid.put("plan", "BUSINESS_SUPPORT");
            }
            case 6 -> {
                endpoint = "any command";
                method = "PUT";
                path = "/api/v1/domains/" + (random.nextBoolean() ? urlish(odd()) : "fz" + random.nextInt(1_000_000) + ".example");
            }
            case 7 -> {
                endpoint = "add DNS record";
                method = "POST";
                path = "/api/v1/domains/" + domain + "/records";
                valid.put("source", "fz" + random.nextInt(1000)).put("type", pick("TXT", "A", "MX", "CNAME", "SRV", "CAA", "SPF"))
                        .put("value", pick("\"v=verify\"", "192.0.2.1", "10 mx.example.org.", "x.example.org.", "v=spf1 -all"))
                        .put("ttl", 3600);
            }
            case 8 -> {
                endpoint = "set billing address";
                method = "PUT";
                path = "/api/v1/contract/billing-address";
                valid.put("company", "Fuzz GmbH").put("street", "Weg 1").put("postalCode", "10115").put("city", "Berlin")
                        .put("country", "DE").put("email", "billing@example.org");
            }
            case 9 -> {
                endpoint = "create user";
                method = "POST";
                path = "/api/v1/users";
                valid.put("username", "u" + random.nextInt(1_000_000)).put("displayName", "Fuzz User")
                        .put("password", "Fuzz-Passw0rd-1").putArray("roles").add("user");
            }
            default -> {
                endpoint = "read";
                method = "GET";
                path = pick("/api/v1/mailboxes?q=", "/api/v1/mailboxes?page=", "/api/v1/mailboxes?size=",
                        "/api/v1/mailboxes?domain=", "/api/v1/addresses/", "/api/v1/contract/statements/",
                        "/api/v1/mailboxes/", "/api/v1/domains/") + urlish(odd());
            }
        }
        String contentType = random.nextInt(20) == 0 ? pick("text/plain", "application/xml", null, "application/json; charset=latin1")
                : "application/json";
        byte[] body = method.equals("GET") ? null : mutate(valid);
        return new Request(endpoint, method, path, random.nextInt(50) == 0 ? null : token, contentType, body);
    }

    /** The valid body with one to three mutations, or something that is not the body at all. */
    private byte[] mutate(ObjectNode valid) throws Exception {
        switch (random.nextInt(12)) {
            case 0 -> {
                return new byte[] { (byte) 0xC3, (byte) 0x28, '{', '}' }; // invalid UTF-8
            }
            case 1 -> {
                String text = JSON.writeValueAsString(valid);
                return text.substring(0, random.nextInt(Math.max(1, text.length()))).getBytes(StandardCharsets.UTF_8);
            }
            case 2 -> {
                return ("[".repeat(5000) + "]".repeat(5000)).getBytes(StandardCharsets.UTF_8);
            }
            case 3 -> {
                return new byte[0];
            }
            case 4 -> {
                return JSON.writeValueAsBytes(random.nextBoolean() ? NODES.arrayNode().add(valid) : NODES.textNode("x"));
            }
            default -> {
                ObjectNode body = valid.deepCopy();
                int mutations = 1 + random.nextInt(3);
                List<String> fields = new ArrayList<>();
                body.fieldNames().forEachRemaining(fields::add);
                for (int m = 0; m < mutations; m++) {
                    String field = fields.isEmpty() || random.nextInt(8) == 0 ? "unknown" + m
                            : fields.get(random.nextInt(fields.size()));
                    switch (random.nextInt(6)) {
                        case 0 -> body.remove(field);
                        case 1 -> body.putNull(field);
                        case 2 -> body.put(field, random.nextInt(3) == 0 ? Long.MAX_VALUE : random.nextInt());
                        case 3 -> body.set(field, random.nextBoolean() ? NODES.objectNode().put("x", odd())
                                : deepArray(random.nextInt(50)));
                        case 4 -> body.put(field, random.nextBoolean());
                        default -> body.put(field, odd());
                    }
                }
                return JSON.writeValueAsBytes(body);
            }
        }
    }

    private JsonNode deepArray(int depth) {
        ArrayNode root = NODES.arrayNode();
        ArrayNode current = root;
        for (int i = 0; i < depth; i++) {
            current = current.addArray();
        }
        current.add(odd());
        return root;
    }

    private String odd() {
        String base = ODD_STRINGS[random.nextInt(ODD_STRINGS.length)];
        return random.nextInt(4) == 0 ? base + ODD_STRINGS[random.nextInt(ODD_STRINGS.length)] : base;
    }

    private static String urlish(String text) {
        return java.net.URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    @SafeVarargs
    private <T> T pick(T... options) {
        return options[random.nextInt(options.length)];
    }

    private Map<String, Long> rows() throws SQLException {
        Map<String, Long> rows = new TreeMap<>();
        for (String key : ROW_COUNT.keySet()) {
            try (Connection connection = system.connect(key.substring(0, key.indexOf(':')));
                 ResultSet result = connection.createStatement().executeQuery(ROW_COUNT.get(key))) {
                result.next();
                rows.put(key, result.getLong(1));
            }
        }
        return rows;
    }

    private long eventsOf(List<String> requestIds) throws SQLException {
        try (Connection connection = system.connect("mailbox");
             PreparedStatement query = connection.prepareStatement(
                     "select count(*) from event_store where correlation_id = any(?)")) {
            query.setArray(1, connection.createArrayOf("varchar", requestIds.toArray()));
            try (ResultSet result = query.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        }
    }
}
