package dev.mailops.bench.observe;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

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
 * Asks dns-service's DNS server, every 10 ms, for the MX of each domain the load registered, until it
 * answers: the latency from the command's start to the first authoritative answer. Not more often: each
 * query costs dns-service CPU on the machine being measured, and the further DNS lags, the more of them
 * there are (at 2 ms, up to 2,000 a second from the 4 pollers).
 */
public final class DnsProbe implements AutoCloseable {

    private final SimpleResolver resolver;
    private final ExecutorService pollers = Executors.newFixedThreadPool(4, runnable -> {
        Thread thread = new Thread(runnable, "bench-dns-probe");
        thread.setDaemon(true);
        return thread;
    });
    private final Histogram commandToAnswer = Propagation.histogram();
    private final Clock clock = Clock.systemUTC();
    private long unanswered;

    public DnsProbe(int port) {
        resolver = new SimpleResolver(new InetSocketAddress("127.0.0.1", port));
        resolver.setTimeout(Duration.ofMillis(500));
    }

    public void watch(String domain, Instant commandSentAt) {
        pollers.execute(() -> {
            Instant deadline = commandSentAt.plusSeconds(30);
            while (clock.instant().isBefore(deadline)) {
                if (answers(domain)) {
                    synchronized (commandToAnswer) {
                        commandToAnswer.recordValue(Math.max(0,
                                Duration.between(commandSentAt, clock.instant()).toMillis()));
                    }
                    return;
                }
                java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            }
            synchronized (commandToAnswer) {
                unanswered++;
            }
        });
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
        pollers.shutdown();
        try {
            pollers.awaitTermination(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
