package dev.mailops.billing;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.icegreen.greenmail.Managers;
import com.icegreen.greenmail.mail.MailAddress;
import com.icegreen.greenmail.server.AbstractServer;
import com.icegreen.greenmail.smtp.SmtpManager;
import com.icegreen.greenmail.smtp.SmtpState;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import dev.mailops.testinfra.ServiceProcess;

/**
 * A real SMTP server (GreenMail) on a free port, receiving what billing-service sends. A test can make
 * it refuse a recipient, as a mail server does for an address it does not accept: RCPT TO is answered
 * {@code 550 5.1.1}.
 */
public class SmtpServer implements QuarkusTestResourceLifecycleManager {

    private static GreenMail server;
    private static final Set<String> refused = ConcurrentHashMap.newKeySet();

    @Override
    public synchronized Map<String, String> start() {
        if (server == null) {
            server = new RefusingGreenMail(new ServerSetup(ServiceProcess.freePort(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
            server.start();
        }
        return Map.of("quarkus.mailer.host", "127.0.0.1",
                "quarkus.mailer.port", String.valueOf(server.getSmtp().getPort()));
    }

    @Override
    public void stop() {
        // Shared by all test classes of the JVM; it ends with it.
    }

    public static GreenMail server() {
        return server;
    }

    /** From now on the server answers RCPT TO for this address with 550. */
    public static void refuse(String recipient) {
        refused.add(recipient);
    }

    /** The server accepts mail for the address again. */
    public static void accept(String recipient) {
        refused.remove(recipient);
    }

    /** GreenMail whose SMTP service checks each recipient against {@link #refused}. */
    private static final class RefusingGreenMail extends GreenMail {
        RefusingGreenMail(ServerSetup setup) {
            super(setup);
        }

        @Override
        protected Map<String, AbstractServer> createServices(ServerSetup[] config, Managers mgr) {
            managers = new RefusingManagers();
            return super.createServices(config, managers);
        }
    }

    private static final class RefusingManagers extends Managers {
        private final SmtpManager smtp = new SmtpManager(getImapHostManager(), getUserManager()) {
            @Override
            public String checkRecipient(SmtpState state, MailAddress recipient) {
                return refused.contains(recipient.getEmail())
                        ? "550 5.1.1 <" + recipient.getEmail() + ">: Recipient address rejected"
                        : super.checkRecipient(state, recipient);
            }
        };

        @Override
        public SmtpManager getSmtpManager() {
            return smtp;
        }
    }
}
