package dev.mailops.mailbox.migration;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.narayana.jta.QuarkusTransaction;

import dev.mailops.mailbox.command.ImportMailbox;
import dev.mailops.mailbox.query.AliasView;
import dev.mailops.mailbox.query.MailboxQueries;
import dev.mailops.mailbox.query.MailboxView;

/**
 * The tenant's mailboxes with their aliases and forwarding, in the import's CSV format, written page by page
 * (by address) as they are read, so an export of any size takes the memory of one page. No password or hash.
 */
@ApplicationScoped
public class MailboxExport {

    @Inject
    MailboxQueries queries;

    @ConfigProperty(name = "mailbox.export.page-size", defaultValue = "500")
    int pageSize;

    public void write(String tenantId, OutputStream out) throws IOException {
        try (MailboxCsv.Writer csv = MailboxCsv.writer(out)) {
            String after = "";
            List<ImportMailbox> page;
            do {
                String from = after;
                page = QuarkusTransaction.requiringNew().call(() -> page(tenantId, from));
                for (ImportMailbox mailbox : page) {
                    csv.write(mailbox);
                }
                csv.flush();
                if (!page.isEmpty()) {
                    after = Imports.address(page.get(page.size() - 1));
                }
            } while (page.size() == pageSize);
        }
    }

    private List<ImportMailbox> page(String tenantId, String after) {
        List<MailboxView> mailboxes = queries.mailboxesAfter(tenantId, after, pageSize);
        Map<UUID, List<String>> aliases = queries.aliasesOf(mailboxes.stream().map(m -> m.mailboxId).toList()).stream()
                .collect(Collectors.groupingBy(alias -> alias.mailboxId,
                        Collectors.mapping((AliasView alias) -> alias.address, Collectors.toList())));
        return mailboxes.stream().map(m -> new ImportMailbox(m.localPart, m.domain, m.firstName, m.lastName,
                m.systemUserId, m.rate, m.forwardTo, m.keepCopy, aliases.getOrDefault(m.mailboxId, List.of()), null, null))
                .toList();
    }
}
