package dev.mailops.bench.mailhost;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import jakarta.mail.MessagingException;

import dev.mailops.testinfra.MailClient;
import dev.mailops.testinfra.MailHost;

/**
 * A delivery load on the mail host: the mails over several SMTP connections at once, each sending one
 * after the other round robin to the recipients, then waiting until all are in their maildirs.
 */
final class Deliveries {

    static final Duration DELIVERY_LIMIT = Duration.ofMinutes(5);

    /** One SMTP connection that sends a mail to each of {@code recipients}, in order. */
    interface Connection {
        List<MailClient.Outcome> send(List<String> recipients) throws MessagingException;
    }

    record Delivery(double acceptedPerSecond, double deliveredPerSecond) {
    }

    private final MailHost mailHost;
    private final int mails;
    private final int connections;

    Deliveries(MailHost mailHost, int mails, int connections) {
        this.mailHost = mailHost;
        this.mails = mails;
        this.connections = connections;
    }

    /** Sends the mails over {@code connections} connections and waits until all are in the maildirs. */
    Delivery run(List<String> recipients, Connection connection) {
        long before = delivered(recipients);
        int perConnection = mails / connections;
        long start = System.nanoTime();
        List<CompletableFuture<Long>> senders = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            int offset = c;
            senders.add(CompletableFuture.supplyAsync(() -> {
                List<String> to = IntStream.range(0, perConnection)
                        .mapToObj(i -> recipients.get((offset + i * connections) % recipients.size())).toList();
                try {
                    return connection.send(to).stream().filter(MailClient.Outcome::accepted).count();
                } catch (MessagingException e) {
                    throw new IllegalStateException("SMTP failed", e);
                }
            }));
        }
        long accepted = senders.stream().mapToLong(CompletableFuture::join).sum();
        long acceptedAt = System.nanoTime();
        long expected = (long) perConnection * connections;
        if (accepted != expected) {
            throw new IllegalStateException("Postfix accepted " + accepted + " of " + expected + " mails");
        }
        while (delivered(recipients) - before < expected) {
            if (System.nanoTime() - start > DELIVERY_LIMIT.toNanos()) {
                throw new IllegalStateException("Only " + (delivered(recipients) - before) + " of " + expected
                        + " mails were delivered within " + DELIVERY_LIMIT.toMinutes() + " min");
            }
            pause(20);
        }
        long deliveredAt = System.nanoTime();
        return new Delivery(expected / ((acceptedAt - start) / 1e9), expected / ((deliveredAt - start) / 1e9));
    }

    /** The mails in the recipients' maildirs (new and cur). */
    long delivered(List<String> recipients) {
        return recipients.stream().flatMap(this::files).count();
    }

    /** The message files of the address's INBOX (new and cur). */
    Stream<Path> files(String address) {
        Path maildir = mailHost.mailRoot().resolve(address.substring(address.indexOf('@') + 1))
                .resolve(address.substring(0, address.indexOf('@'))).resolve("Maildir");
        List<Path> found = new ArrayList<>();
        for (String folder : List.of("new", "cur")) {
            Path dir = maildir.resolve(folder);
            if (Files.isDirectory(dir)) {
                try (Stream<Path> files = Files.list(dir)) {
                    files.forEach(found::add);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return found.stream();
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
