package dev.mailops.billing.contract;

import java.math.BigDecimal;
import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import dev.mailops.billing.contract.rules.FeePeriod;

/** A span during which one basic fee plan applied, as stored: the table row of {@link FeePeriod}. */
@Entity
@Table(name = "basic_fee_period")
public class BasicFeePeriod {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "id")
    public Long id;

    @Column(name = "tenant_id", nullable = false, length = 64)
    public String tenantId;

    @Column(name = "plan", nullable = false, length = 64)
    public String plan;

    @Column(name = "monthly_net_price", nullable = false, precision = 12, scale = 2)
    public BigDecimal monthlyNetPrice;

    @Column(name = "starts_at", nullable = false)
    public Instant startsAt;

    @Column(name = "ends_at")
    public Instant endsAt;
}
