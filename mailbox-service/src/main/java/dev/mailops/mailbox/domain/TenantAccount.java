package dev.mailops.mailbox.domain;

import java.util.List;
import java.util.Optional;

import dev.mailops.mailbox.domain.event.FeeChanged;
import dev.mailops.mailbox.domain.event.MailboxEvent;

/** The tenant-wide settings: the basic fee plan that applies to all of the tenant's mailboxes. */
public final class TenantAccount extends EventSourced {

    private String basicFeePlan;

    private TenantAccount(String defaultPlan) {
        this.basicFeePlan = defaultPlan;
    }

    public static TenantAccount fromHistory(String defaultPlan, List<? extends MailboxEvent> history) {
        TenantAccount account = new TenantAccount(defaultPlan);
        account.replay(history);
        return account;
    }

    /** The account as its latest event (each of its events names the plan then booked) left it. */
    public static TenantAccount fromLatest(String defaultPlan, Optional<? extends MailboxEvent> latest,
            int streamVersion) {
        TenantAccount account = new TenantAccount(defaultPlan);
        latest.ifPresent(event -> account.restoreFromLast(event, streamVersion));
        return account;
    }

    /** Changing to the plan already booked changes nothing and emits nothing. */
    public void changeBasicFee(String newPlan) {
        if (!newPlan.equals(basicFeePlan)) {
            emit(new FeeChanged(basicFeePlan, newPlan));
        }
    }

    @Override
    protected void apply(MailboxEvent event) {
        if (event instanceof FeeChanged changed) {
            basicFeePlan = changed.newPlan();
        } else {
            throw new IllegalArgumentException("A tenant account does not handle " + event.type());
        }
    }

    public String basicFeePlan() {
        return basicFeePlan;
    }
}
