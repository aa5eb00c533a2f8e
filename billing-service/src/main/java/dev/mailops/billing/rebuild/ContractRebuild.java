package dev.mailops.billing.rebuild;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.mailops.billing.contract.rules.ContractHead;
import dev.mailops.billing.contract.rules.ContractRules;
import dev.mailops.billing.contract.rules.FeePeriod;
import dev.mailops.billing.contract.rules.InMemoryContracts;
import dev.mailops.billing.contract.rules.MailboxLine;
import dev.mailops.billing.contract.rules.Revision;
import dev.mailops.billing.events.BilledEvent;
import dev.mailops.billing.events.MailboxEvents;
import dev.mailops.consumer.CloudEvent;
import dev.mailops.consumer.CloudEventReader;
import dev.mailops.consumer.TopicReplay;

/**
 * Rebuilds every contract from mailbox.events, set-based: the events go through the same
 * {@link ContractRules} as live consumption, but against contracts held in memory, and the result is
 * written with COPY into the tables stripped of their indexes and constraints ({@link BulkLoad}).
 * Revisions, processed events and the lines and fee periods that ended stream out as they come; the
 * contracts and what is still open (which later events may change) at the end. The whole rebuild is one
 * transaction (see {@link TopicReplay}). Memory follows tenants and mailboxes, not the history's length:
 * redeliveries and deleted mailboxes are recognised by {@link SeenIds}.
 */
@ApplicationScoped
public class ContractRebuild {

    private static final Logger LOG = Logger.getLogger(ContractRebuild.class);

    private static final List<String> TABLES = List.of("contract_revision", "contract_line", "basic_fee_period",
            "contract", "processed_event");

    @Inject
    TopicReplay replay;
    @Inject
    ContractRules rules;
    @Inject
    CloudEventReader reader;
    @Inject
    DataSource dataSource;
    @Inject
    Clock clock;

    /** Events whose rows are collected before they are sent: bounds memory. */
    @ConfigProperty(name = "billing.rebuild.copy-chunk", defaultValue = "1000")
    int copyChunk;

    /** Billing addresses and notices are not derived from events and stay; nothing is published or mailed. */
    public TopicReplay.Result rebuild(String topic) {
        Rebuild rebuild = new Rebuild(Instant.now(clock).truncatedTo(ChronoUnit.MICROS).toString());
        try {
            return replay.replay(topic, MailboxEvents.BILLED_TYPES, rebuild);
        } finally {
            rebuild.writer.shutdownNow(); // also when the replay failed before finishing
        }
    }

    private static CopyRows processedRows() {
        return new CopyRows("processed_event", "event_id, tenant_id, event_type, processed_at");
    }

    private static CopyRows lineRows() {
        return new CopyRows("contract_line",
                "mailbox_id, tenant_id, address, rate, monthly_net_price, starts_at, ends_at, replaced");
    }

    private static CopyRows periodRows() {
        return new CopyRows("basic_fee_period", "tenant_id, plan, monthly_net_price, starts_at, ends_at");
    }

    private static CopyRows revisionRows() {
        return new CopyRows("contract_revision", "tenant_id, revision, cause_event_id, cause_event_type, cause_subject, "
                + "occurred_at, change, basic_fee_plan, active_mailboxes, monthly_net_total");
    }

    private final class Rebuild implements TopicReplay.ReadingRebuild<BilledEvent> {

        private BulkLoad bulkLoad;
        private final String processedAt;
        private SeenIds processed;
        /** Mailboxes whose last line ended without a next one: still known to the rules. */
        private SeenIds deleted;
        private final InMemoryContracts contracts = new InMemoryContracts(this::lineRow, this::periodRow,
                mailbox -> deleted.contains(mailbox, this::copied));
        private CopyRows processedRows = processedRows();
        private CopyRows revisionRows = revisionRows();
        private CopyRows lineRows = lineRows();
        private CopyRows periodRows = periodRows();
        /** Sends full chunks while the next ones are read, on the rebuild transaction's connection. */
        private final ExecutorService writer = Executors.newSingleThreadExecutor(
                task -> new Thread(task, "contract-rebuild-copy"));
        private Future<?> sending = CompletableFuture.completedFuture(null);
        private Connection connection;

        Rebuild(String processedAt) {
            this.processedAt = processedAt;
        }

        @Override
        public void truncate() {
            try {
                // The transaction's connection (Agroal enlisted it), for the COPY thread too; finish closes it.
                connection = dataSource.getConnection();
                try (Statement statement = connection.createStatement()) {
                    statement.execute("truncate " + String.join(", ", TABLES));
                }
                bulkLoad = BulkLoad.dropIndexes(connection, TABLES);
            } catch (SQLException e) {
                throw new IllegalStateException("Could not prepare the tables for the rebuild", e);
            }
        }

        @Override
        public void expect(long records) {
            processed = new SeenIds(records, "select exists (select 1 from processed_event where event_id = ?)");
            deleted = new SeenIds(records, "select exists (select 1 from contract_line where mailbox_id = ?)");
        }

        @Override
        public BilledEvent read(CloudEvent event) {
            return MailboxEvents.billed(event, reader);
        }

        @Override
        public boolean apply(BilledEvent event) {
            if (processed.contains(event.id(), this::copied)) {
                return false;
            }
            // The rules first: an event they fail on is skipped like its dead letter, leaving no row.
            rules.apply(event, contracts).ifPresent(this::add);
            processed.add(event.id());
            processedRows.row(event.id(), event.tenantId(), event.type(), processedAt);
            if (processedRows.rows() >= copyChunk) {
                send();
            }
            return true;
        }

        /** Hands the rows collected so far to COPY, and collects the next ones while they are sent. */
        private void send() {
            CopyRows[] chunk = { processedRows, revisionRows, lineRows, periodRows };
            processedRows = processedRows();
            revisionRows = revisionRows();
            lineRows = lineRows();
            periodRows = periodRows();
            processed.sent();
            deleted.sent();
            awaitSending(); // at most one chunk in flight, so memory stays bounded
            sending = writer.submit(() -> copy(chunk));
        }

        /** The connection, once every row sent so far is there. */
        private Connection copied() {
            awaitSending();
            return connection;
        }

        private void lineRow(MailboxLine l) {
            if (l.endsAt() != null && !l.replaced()) {
                deleted.add(l.mailboxId());
            }
            lineRows.row(l.mailboxId(), l.tenantId(), l.address(), l.rate(), l.monthlyNetPrice(), l.startsAt(),
                    l.endsAt(), l.replaced());
        }

        private void periodRow(FeePeriod p) {
            periodRows.row(p.tenantId(), p.plan(), p.monthlyNetPrice(), p.startsAt(), p.endsAt());
        }

        @Override
        public void finish() {
            CopyRows contractRows = new CopyRows("contract", "tenant_id, revision, basic_fee_plan, active_mailboxes, "
                    + "mailboxes_monthly_net, basic_fee_monthly_net, created_at, updated_at");
            for (ContractHead c : contracts.contracts()) {
                contractRows.row(c.tenantId(), c.revision(), c.basicFeePlan(), c.activeMailboxes(),
                        c.mailboxesMonthlyNet(), c.basicFeeMonthlyNet(), c.createdAt(), c.updatedAt());
            }
            // Still open: no end, so these rows come after every line and period of theirs that ended.
            contracts.periods().forEach(this::periodRow);
            contracts.lines().forEach(line -> {
                lineRow(line);
                if (lineRows.rows() >= copyChunk) {
                    send(); // open mailboxes can be many: their rows go in chunks too
                }
            });
            awaitSending();
            copy(processedRows, revisionRows, contractRows, periodRows, lineRows);
            LOG.infof("The rebuild looked up %d event ids and %d mailbox ids among its copied rows (redeliveries, "
                    + "mailboxes created again, or the Bloom filters' false positives)", processed.lookedUp(),
                    deleted.lookedUp());
            try {
                bulkLoad.restore(connection);
                connection.close();
            } catch (SQLException e) {
                throw new IllegalStateException("Could not restore the indexes and constraints", e);
            }
        }

        private Void copy(CopyRows... tables) {
            try {
                for (CopyRows table : tables) {
                    table.copyTo(connection);
                }
                return null;
            } catch (SQLException e) {
                throw new IllegalStateException("COPY failed", e);
            }
        }

        private void awaitSending() {
            try {
                sending.get();
            } catch (ExecutionException e) {
                throw new IllegalStateException("COPY failed", e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while writing the rebuilt contracts", e);
            }
        }

        private void add(Revision r) {
            revisionRows.row(r.tenantId(), r.revision(), r.causeEventId(), r.causeEventType(), r.causeSubject(),
                    r.occurredAt(), r.change(), r.basicFeePlan(), r.activeMailboxes(), r.monthlyNetTotal());
        }
    }
}
