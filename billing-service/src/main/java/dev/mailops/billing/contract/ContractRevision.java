package dev.mailops.billing.contract;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import dev.mailops.billing.contract.rules.Revision;

/** One change of a contract and the mailbox event that caused it, as stored: the table row of {@link Revision}. */
@Entity
@Table(name = "contract_revision")
public class ContractRevision {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "id")
    public Long id;

    @Column(name = "tenant_id", nullable = false, length = 64)
    public String tenantId;

    @Column(name = "revision", nullable = false)
    public int revision;

    @Column(name = "cause_event_id", nullable = false, unique = true)
    public UUID causeEventId;

    @Column(name = "cause_event_type", nullable = false, length = 64)
    public String causeEventType;

    @Column(name = "cause_subject", length = 300)
    public String causeSubject;

    @Column(name = "occurred_at", nullable = false)
    public Instant occurredAt;

    @Column(name = "change", nullable = false, length = 500)
    public String change;

    @Column(name = "basic_fee_plan", nullable = false, length = 64)
    public String basicFeePlan;

    @Column(name = "active_mailboxes", nullable = false)
    public int activeMailboxes;

    @Column(name = "monthly_net_total", nullable = false, precision = 12, scale = 2)
    public BigDecimal monthlyNetTotal;

    static ContractRevision of(Revision value) {
        ContractRevision revision = new ContractRevision();
        revision.tenantId = value.tenantId();
        revision.revision = value.revision();
        revision.causeEventId = value.causeEventId();
        revision.causeEventType = value.causeEventType();
        revision.causeSubject = value.causeSubject();
        revision.occurredAt = value.occurredAt();
        revision.change = value.change();
        revision.basicFeePlan = value.basicFeePlan();
        revision.activeMailboxes = value.activeMailboxes();
        revision.monthlyNetTotal = value.monthlyNetTotal();
        return revision;
    }
}
