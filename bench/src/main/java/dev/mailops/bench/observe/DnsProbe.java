package dev.mailops.bench.observe;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.HdrHistogram.Histogram;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * Asks dns-service's DNS server for the MX of each domain the load registered until it answers: the
 * latency from the command's start to the first authoritative answer. Every watched domain is polled at
 * once, each on a schedule of its own (no domain waits for a poller: with a thread per watched domain,
 * four threads, a domain's wait for its turn counted as DNS latency). A domain is asked again after a
 * twentieth of the time it has waited so far, 10 to 250 ms: the answer's time is known within 5 %, and
 * the queries, which cost dns-service CPU on the machine being measured, do not grow with the lag.
 */
public final class DnsProbe implements AutoCloseable {

    static final Duration LONGEST = Duration.ofSeconds(30);
    static final long FIRST_INTERVAL_MS = 10;
    static final long LAST_INTERVAL_MS = 250;

    private final SimpleResolver resolver;
    private final ScheduledExecutorService pollers = Executors.newScheduledThreadPool(4, runnable -> {
        Thread thread = new Thread(runnable, "bench-dns-probe");
        thread.setDaemon(true);
        return thread;
    });
    private final Histogram commandToAnswer = Propagation.histogram();
    private final Clock clock = Clock.systemUTC();
    private final AtomicInteger watching = new AtomicInteger();
    private long unanswered;

    public DnsProbe(int port) {
        resolver = new SimpleResolver(new InetSocketAddress("127.0.0.1", port));
        resolver.setTimeout(Duration.ofMillis(500));
    }

    public void watch(String domain, Instant commandSentAt) {
        watching.incrementAndGet();
        pollers.execute(() -> poll(domain, commandSentAt));
    }

    private void poll(String domain, Instant commandSentAt) {
        if (answers(domain)) {
            synchronized (commandToAnswer) {
                commandToAnswer.recordValue(Math.max(0, Duration.between(commandSentAt, clock.instant()).toMillis()));
            }
            watching.decrementAndGet();
            return;
        }
        Duration waited = Duration.between(commandSentAt, clock.instant());
        if (waited.compareTo(LONGEST) >= 0) {
            synchronized (commandToAnswer) {
                unanswered++;
            }
            watching.decrementAndGet();
            return;
        }
        pollers.schedule(() -> poll(domain, commandSentAt), nextQueryAfterMillis(waited), TimeUnit.MILLISECONDS);
    }

    /** A twentieth of the wait so far, at least 10 and at most 250 ms. */
    static long nextQueryAfterMillis(Duration waited) {
        return Math.min(LAST_INTERVAL_MS, Math.max(FIRST_INTERVAL_MS, waited.toMillis() / 20));
    }

    private boolean answers(String domain) {
        try {
            Message query = Message.newQuery(Record.newRecord(Name.fromString(domain + "."), Type.MX, DClass.IN));
            Message response = resolver.send(query);
            return response.getRcode() == Rcode.NOERROR && !response.getSection(Section.ANSWER).isEmpty();
        } catch (IOException notYet) {
            return false;
        }
    }

    /** Waits for the outstanding probes; the histogram of command start to DNS answer, in ms. */
    public Histogram finish() {
        // Each domain is answered or given up within LONGEST of its command; then no poll is left.
        long deadline = System.nanoTime() + LONGEST.plusSeconds(5).toNanos();
        while (watching.get() > 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
        pollers.shutdownNow();
        synchronized (commandToAnswer) {
            return commandToAnswer.copy();
        }
    }

    public long unanswered() {
        return unanswered;
    }

    @Override
    public void close() {
        pollers.shutdownNow();
    }
}
