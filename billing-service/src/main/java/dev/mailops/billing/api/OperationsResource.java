package dev.mailops.billing.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.mailops.billing.contract.ContractLedger;
import dev.mailops.billing.events.MailboxEvents;
import dev.mailops.consumer.TopicReplay;

/** Operator actions that span all tenants. */
@Path("/api/v1/operations")
@Produces(MediaType.APPLICATION_JSON)
public class OperationsResource {

    @Inject
    TopicReplay replay;
    @Inject
    ContractLedger ledger;
    @Inject
    EntityManager entityManager;

    @ConfigProperty(name = "mp.messaging.incoming.mailbox-events.topic")
    String topic;

    /**
     * Rebuilds every contract from mailbox.events; live consumption waits until it is done. Billing
     * addresses and notices are not derived from events and stay; nothing is published or mailed again.
     */
    @POST
    @Path("/replay")
    @RolesAllowed("operator")
    public TopicReplay.Result replay() {
        return replay.replay(topic, MailboxEvents.BILLED_TYPES,
                () -> entityManager.createNativeQuery(
                        "truncate contract_revision, contract_line, basic_fee_period, contract, processed_event")
                        .executeUpdate(),
                event -> !ledger.apply(event, true).duplicate());
    }
}
