package dev.mailops.bench.load;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.mailops.bench.system.LocalSystem;
import dev.mailops.bench.system.TenantTokens;

/**
 * The commands and reads of the benchmark, against tenants whose state (domain, live mailboxes and
 * their alias counts, basic fee) the workload tracks itself, so that every command it sends is one
 * the system must accept: a non-2xx answer is an error of the system, not of the load.
 */
public final class Workload {

    public enum Operation {
        CREATE_MAILBOX, ADD_ALIAS, DELETE_MAILBOX, CHANGE_BASIC_FEE, REGISTER_DOMAIN, READ_MAILBOXES, READ_CONTRACT;

        public String label() {
            return name().toLowerCase().replace('_', ' ');
        }
    }

    /** What became of one request: its request id is the correlation id of the events it caused. */
    public record Outcome(Operation operation, String tenant, String requestId, Instant sentAt, String subject,
            int status, boolean retryAfter) {
        public boolean accepted() {
            return status >= 200 && status < 300;
        }

        public boolean isCommand() {
            return operation != Operation.READ_CONTRACT && operation != Operation.READ_MAILBOXES;
        }
    }

    /** Every mailbox's password: the chaos run logs in with it. */
    public static final String PASSWORD = "Bench-Passw0rd-2026";
    static final String RATE = "MAIL_PREMIUM";
    static final int ALIAS_LIMIT = 50;
    /** How long mailbox-service may take to learn the tenants' new system users from gateway.users. */
    static final Duration USERS_KNOWN_LIMIT = Duration.ofSeconds(60);
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([0-9a-f-]{36})\"");
    private static final List<String> FEE_PLANS = List.of("BUSINESS_SUPPORT", "BUSINESS_PREMIUM", "BUSINESS_RESELLER");

    final class Tenant {
        final String id;
        final String token;
        final List<String> domains = new ArrayList<>();
        final List<Mailbox> mailboxes = new ArrayList<>();
        int feeChanges;

        Tenant(String id) {
            this.id = id;
            this.token = tokens.adminToken(id);
        }

        /** The tenant's system user, whom its mailboxes belong to (usernames are unique across tenants). */
        String systemUser() {
            return systemUserOf(id);
        }

        synchronized Mailbox mailboxWithRoom() {
            List<Mailbox> open = mailboxes.stream().filter(m -> m.aliases < ALIAS_LIMIT).toList();
            if (open.isEmpty()) {
                return null;
            }
            Mailbox mailbox = open.get(ThreadLocalRandom.current().nextInt(open.size()));
            mailbox.aliases++;
            mailbox.aliasesInFlight++;
            return mailbox;
        }

        synchronized void aliasAnswered(Mailbox mailbox, boolean added) {
            mailbox.aliasesInFlight--;
            if (!added) {
                mailbox.aliases--;
            }
        }

        /** A mailbox to delete: taken off the list, and never one an alias is being added to. */
        synchronized Mailbox takeMailbox() {
            List<Mailbox> idle = mailboxes.stream().filter(m -> m.aliasesInFlight == 0).toList();
            if (idle.isEmpty()) {
                return null;
            }
            Mailbox mailbox = idle.get(ThreadLocalRandom.current().nextInt(idle.size()));
            mailboxes.remove(mailbox);
            return mailbox;
        }

        synchronized void add(Mailbox mailbox) {
            mailboxes.add(mailbox);
        }

        synchronized int mailboxCount() {
            return mailboxes.size();
        }

        boolean feeChangeInFlight;
        /**
         * The plan booked, as far as the answers tell; null after a change failed in a way that may have booked it
         * (a change shed under overload did not: asking first would make the next change two requests).
         */
        String bookedPlan = "BUSINESS_RESELLER";

        /** False while a change is in flight: concurrent changes could arrive in any order. */
        synchronized boolean startFeeChange() {
            if (feeChangeInFlight) {
                return false;
            }
            feeChangeInFlight = true;
            return true;
        }

        /** requested: null when the booked plan could not be read; booked before: as read or known before. */
        synchronized void feeChangeAnswered(String bookedBefore, String requested, Api.Reply answer) {
            bookedPlan = answer.ok() ? requested : answer.shed() ? bookedBefore : null;
            feeChangeInFlight = false;
        }
    }

    static final class Mailbox {
        final String id;
        int aliases;
        int aliasesInFlight;

        Mailbox(String id) {
            this.id = id;
        }
    }

    private final Api api;
    private final LocalSystem system;
    private final TenantTokens tokens;
    private final String run;
    private volatile Recorder recorder;
    private volatile Consumer<Outcome> outcomes;
    private final List<Tenant> tenants = new ArrayList<>();
    private final AtomicLong names;
    private final Clock clock = Clock.systemUTC();

    /** A workload on the system, whose tenants' names start with {@code run}. */
    public Workload(Api api, LocalSystem system, String run) {
        this(api, system, run, new AtomicLong());
    }

    private Workload(Api api, LocalSystem system, String run, AtomicLong names) {
        this.api = api;
        this.system = system;
        this.tokens = system.tokens();
        this.run = run;
        this.names = names;
        measureInto(new Recorder(), outcome -> { });
    }

    /** A workload over the first {@code count} tenants of this one (the same tenants, the same names). */
    public Workload firstTenants(int count) {
        Workload slice = new Workload(api, system, run, names);
        slice.tenants.addAll(tenants.subList(0, count));
        return slice;
    }

    /** Where the latencies and the outcomes of what follows go. */
    public void measureInto(Recorder recorder, Consumer<Outcome> outcomes) {
        this.recorder = recorder;
        this.outcomes = outcomes;
    }

    /**
     * Adds tenants with one domain and one system user each (registered through the API, as an admin
     * would, not timed), and returns once mailbox-service knows every new user.
     */
    public void addTenants(int count) {
        int first = tenants.size();
        List<CompletableFuture<Api.Reply>> registrations = new ArrayList<>();
        List<String> users = new ArrayList<>();
        for (int i = first; i < first + count; i++) {
            Tenant tenant = new Tenant("bench-" + run + "-t" + i);
            tenants.add(tenant);
            String domain = "t" + i + "-" + run + ".bench.example";
            tenant.domains.add(domain);
            registrations.add(api.sendUntilServed("PUT", "/api/v1/domains/" + domain, tenant.token, null));
            registrations.add(api.sendUntilServed("POST", "/api/v1/users", tenant.token,
                    systemUserBody(tenant.systemUser())));
            users.add(tenant.systemUser());
            if (registrations.size() >= 32) {
                registrations.forEach(this::requireOk);
                registrations.clear();
            }
        }
        registrations.forEach(this::requireOk);
        system.awaitKnownUsers(users, USERS_KNOWN_LIMIT);
    }

    /** The system user of the tenant the harness creates: {@code <tenant>-u}. */
    public static String systemUserOf(String tenant) {
        return tenant + "-u";
    }

    /** The body of {@code POST /api/v1/users} for the harness's system user of a tenant. */
    public static String systemUserBody(String username) {
        return """
                {"username":"%s","displayName":"Bench","password":"%s","roles":["user"]}""".formatted(username, PASSWORD);
    }

    /** Creates mailboxes until every tenant has at least {@code perTenant}, 8 at a time (not timed). */
    public void fillMailboxes(int perTenant) {
        List<CompletableFuture<?>> inFlight = new ArrayList<>();
        for (Tenant tenant : tenants) {
            for (int i = tenant.mailboxCount(); i < perTenant; i++) {
                inFlight.add(send(Operation.CREATE_MAILBOX, tenant, null));
                if (inFlight.size() >= 8) {
                    CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).join();
                    inFlight.clear();
                }
            }
        }
        CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).join();
    }

    /** The fewest live mailboxes any of the first {@code tenants} tenants has. */
    public int fewestMailboxes(int tenants) {
        return this.tenants.stream().limit(tenants).mapToInt(Tenant::mailboxCount).min().orElse(0);
    }

    public int tenantCount() {
        return tenants.size();
    }

    public Tenant tenant(int index) {
        return tenants.get(index);
    }

    /** A token, a domain and a mailbox id of the first tenant: what valid requests are built from. */
    public List<String> firstTenantBasics() {
        Tenant tenant = tenants.get(0);
        synchronized (tenant) {
            return List.of(tenant.token, tenant.domains.get(0), tenant.mailboxes.get(0).id, tenant.id);
        }
    }

    /** What an operation acts on, and whose it is. */
    private record Target<T>(Tenant tenant, T of) {
    }

    /**
     * What {@code take} yields for the tenant, or else for the first other tenant (from a random one on)
     * that has it; null when none has. An operation is never replaced by another, so the mix the load
     * reports is the mix it was asked for, even under overload when mailboxes are taken by requests in
     * flight.
     */
    private <T> Target<T> targetOf(Tenant preferred, Function<Tenant, T> take) {
        T own = take.apply(preferred);
        if (own != null) {
            return new Target<>(preferred, own);
        }
        int offset = ThreadLocalRandom.current().nextInt(tenants.size());
        for (int i = 0; i < tenants.size(); i++) {
            Tenant other = tenants.get((offset + i) % tenants.size());
            T target = take.apply(other);
            if (target != null) {
                return new Target<>(other, target);
            }
        }
        return null;
    }

    /** An operation no tenant had a target for: counted as not sent, and nothing is sent instead. */
    private CompletableFuture<Api.Reply> notSent(Operation operation) {
        recorder.notSent(operation.label());
        return CompletableFuture.completedFuture(new Api.Reply(Api.NOT_SENT, "no tenant had a target for it", "none", ""));
    }

    public Tenant randomTenant() {
        return tenants.get(ThreadLocalRandom.current().nextInt(tenants.size()));
    }

    /**
     * Sends the operation for the tenant and records its latency from {@code intendedStartNanos} (the
     * time an open-model schedule meant to send it; null: now). Completes when the answer is in.
     */
    public CompletableFuture<Api.Reply> send(Operation operation, Tenant tenant, Long intendedStartNanos) {
        long start = intendedStartNanos == null ? System.nanoTime() : intendedStartNanos;
        Instant sentAt = clock.instant();
        CompletableFuture<Api.Reply> reply;
        Runnable onFailure = () -> { };
        Tenant[] actor = { tenant }; // a fee change may go to another tenant
        switch (operation) {
            case CREATE_MAILBOX -> {
                String local = "m" + names.incrementAndGet();
                reply = api.send("POST", "/api/v1/mailboxes", tenant.token, """
                        {"localPart":"%s","domain":"%s","firstName":"Bench","lastName":"Load","systemUserId":"%s",\
                        "password":"%s","passwordConfirmation":"%s","rate":"%s"}""".formatted(local,
                        tenant.domains.get(0), tenant.systemUser(), PASSWORD, PASSWORD, RATE))
                        .thenApply(r -> {
                            Matcher id = ID.matcher(r.body());
                            if (r.ok() && id.find()) {
                                tenant.add(new Mailbox(id.group(1)));
                            }
                            return r;
                        });
            }
            case ADD_ALIAS -> {
                Target<Mailbox> target = targetOf(tenant, Tenant::mailboxWithRoom);
                if (target == null) {
                    return notSent(operation);
                }
                Tenant owner = target.tenant();
                Mailbox mailbox = target.of();
                actor[0] = owner;
                reply = api.send("POST", "/api/v1/mailboxes/" + mailbox.id + "/aliases", owner.token,
                        "{\"localPart\":\"a" + names.incrementAndGet() + "\",\"domain\":\"" + owner.domains.get(0) + "\"}")
                        .thenApply(r -> {
                            owner.aliasAnswered(mailbox, r.ok());
                            return r;
                        });
            }
            case DELETE_MAILBOX -> {
                Target<Mailbox> target = targetOf(tenant, Tenant::takeMailbox);
                if (target == null) {
                    return notSent(operation);
                }
                Tenant owner = target.tenant();
                Mailbox mailbox = target.of();
                actor[0] = owner;
                reply = api.send("DELETE", "/api/v1/mailboxes/" + mailbox.id, owner.token, null);
                onFailure = () -> owner.add(mailbox);
            }
            case CHANGE_BASIC_FEE -> {
                // One change per tenant at a time (the harness must know the booked plan). Under overload
                // many are in flight: another tenant takes the turn.
                Target<Tenant> target = targetOf(tenant, t -> t.startFeeChange() ? t : null);
                if (target == null) {
                    return notSent(operation); // every tenant is changing
                }
                Tenant changing = target.tenant();
                actor[0] = changing;
                // Always a different plan, so every accepted change is an event; after a failed change
                // the harness asks which plan is booked first.
                CompletableFuture<Api.Reply> read = changing.bookedPlan != null ? null
                        : api.send("GET", "/api/v1/basic-fee", changing.token, null);
                CompletableFuture<String> booked = read == null
                        ? CompletableFuture.completedFuture(changing.bookedPlan)
                        : read.thenApply(r -> r.ok() ? field(r.body(), "plan") : null);
                String[] requested = new String[1];
                String[] bookedBefore = new String[1];
                reply = booked.thenCompose(current -> {
                    bookedBefore[0] = current;
                    if (current == null) { // not known, and not to be guessed: a guess could book the same plan
                        // Refused as its read was (a 503 with Retry-After under overload): the system's answer.
                        Api.Reply refusedRead = read.join();
                        return CompletableFuture.completedFuture(refusedRead.ok() ? new Api.Reply(Api.NO_ANSWER,
                                "the booked plan could not be read", "none", "") : refusedRead);
                    }
                    requested[0] = FEE_PLANS.stream().filter(plan -> !plan.equals(current))
                            .skip(changing.feeChanges++ % 2).findFirst().orElseThrow();
                    return api.send("PUT", "/api/v1/basic-fee", changing.token, "{\"plan\":\"" + requested[0] + "\"}");
                }).thenApply(r -> {
                    changing.feeChangeAnswered(bookedBefore[0], requested[0], r);
                    return r;
                });
            }
            case REGISTER_DOMAIN -> {
                String domain = "d" + names.incrementAndGet() + "-" + run + ".bench.example";
                reply = api.send("PUT", "/api/v1/domains/" + domain, tenant.token, null)
                        .thenApply(r -> r.ok() ? new Api.Reply(r.status(), domain, r.requestId(), r.contentType()) : r);
            }
            case READ_MAILBOXES -> reply = api.send("GET", "/api/v1/mailboxes?size=20", tenant.token, null);
            case READ_CONTRACT -> reply = api.send("GET", "/api/v1/contract", tenant.token, null);
            default -> throw new IllegalArgumentException(operation.name());
        }
        Runnable failed = onFailure;
        Recorder recorder = this.recorder;
        Consumer<Outcome> outcomes = this.outcomes;
        return reply.thenApply(r -> {
            recorder.record(operation.label(), System.nanoTime() - start, r.status(), r.retryAfter().isPresent());
            if (!r.ok()) {
                failed.run();
            }
            outcomes.accept(new Outcome(operation, actor[0].id, r.requestId(), sentAt,
                    operation == Operation.REGISTER_DOMAIN && r.ok() ? r.body() : null, r.status(), r.retryAfter().isPresent()));
            return r;
        });
    }

    private static String field(String json, String name) {
        Matcher value = Pattern.compile("\"" + name + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
        return value.find() ? value.group(1) : null;
    }

    private void requireOk(CompletableFuture<Api.Reply> pending) {
        Api.Reply reply = pending.join();
        if (!reply.ok()) {
            throw new IllegalStateException("Setting up the load failed: HTTP " + reply.status() + " " + reply.body());
        }
    }
}
