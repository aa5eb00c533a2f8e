package dev.mailops.mailhost;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import jakarta.mail.Address;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Quota;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import org.eclipse.angus.mail.imap.IMAPStore;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPTransport;

/**
 * What a mail client does with the mail host, with Eclipse Angus Mail (Jakarta Mail). The mail host's
 * certificate is self-signed: these sessions trust any certificate, which only a test may do.
 */
final class MailClient {

    private MailClient() {
    }

    /** IMAPS (TLS from the start), IMAP with STARTTLS required, or POP3S. */
    enum Access {
        IMAPS("imaps", LocalMailHost.IMAPS),
        IMAP_STARTTLS("imap", LocalMailHost.IMAP),
        POP3S("pop3s", LocalMailHost.POP3S);

        final String protocol;
        final int port;

        Access(String protocol, int port) {
            this.protocol = protocol;
            this.port = port;
        }
    }

    static Store login(Access access, String user, String password) throws MessagingException {
        Properties properties = trustingAnyCertificate(access.protocol);
        if (access == Access.IMAP_STARTTLS) {
            properties.put("mail.imap.starttls.enable", "true");
            properties.put("mail.imap.starttls.required", "true");
        }
        Store store = Session.getInstance(properties).getStore(access.protocol);
        store.connect(LocalMailHost.HOST, access.port, user, password);
        return store;
    }

    /** Whether the login succeeds (closing the session again). */
    static boolean canLogIn(Access access, String user, String password) throws MessagingException {
        try (Store store = login(access, user, password)) {
            return store.isConnected();
        } catch (jakarta.mail.AuthenticationFailedException refused) {
            return false;
        }
    }

    /** The subjects in the INBOX, over IMAPS. */
    static List<String> inbox(String user, String password) throws MessagingException {
        try (Store store = login(Access.IMAPS, user, password); Folder inbox = store.getFolder("INBOX")) {
            inbox.open(Folder.READ_ONLY);
            List<String> subjects = new ArrayList<>();
            for (Message message : inbox.getMessages()) {
                subjects.add(message.getSubject());
            }
            return subjects;
        }
    }

    /** GETQUOTAROOT INBOX: the storage limit in KiB of the INBOX's quota root. */
    static long storageLimitKiB(String user, String password) throws MessagingException {
        try (Store store = login(Access.IMAPS, user, password)) {
            Quota[] quotas = ((IMAPStore) store).getQuota("INBOX");
            for (Quota quota : quotas) {
                for (Quota.Resource resource : quota.resources) {
                    if (resource.name.equalsIgnoreCase("STORAGE")) {
                        return resource.limit;
                    }
                }
            }
            throw new AssertionError("GETQUOTAROOT INBOX reported no STORAGE limit");
        }
    }

    /** How a mail was sent: 250 when accepted, else the SMTP code of the refusal. */
    record Outcome(int code, String response) {
        boolean accepted() {
            return code == 250;
        }
    }

    /** Port 25's role (SMTP in): no AUTH, TLS if offered. */
    static Outcome sendIn(String from, String to, String subject) throws MessagingException {
        return send(LocalMailHost.SMTP, "smtp", false, null, null, from, to, subject);
    }

    /** Submission: STARTTLS required; with AUTH when a user is given. */
    static Outcome submit(String user, String password, String from, String to, String subject) throws MessagingException {
        return send(LocalMailHost.SUBMISSION, "smtp", true, user, password, from, to, subject);
    }

    /** SMTPS: TLS from the start, with AUTH. */
    static Outcome submitOverSmtps(String user, String password, String from, String to, String subject)
            throws MessagingException {
        return send(LocalMailHost.SMTPS, "smtps", false, user, password, from, to, subject);
    }

    private static Outcome send(int port, String protocol, boolean startTls, String user, String password, String from,
            String to, String subject) throws MessagingException {
        Properties properties = trustingAnyCertificate(protocol);
        properties.put("mail." + protocol + ".auth", Boolean.toString(user != null));
        if (startTls) {
            properties.put("mail.smtp.starttls.enable", "true");
            properties.put("mail.smtp.starttls.required", "true");
        }
        Session session = Session.getInstance(properties);
        MimeMessage message = new MimeMessage(session);
        message.setFrom(new InternetAddress(from));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
        message.setSubject(subject);
        message.setText("Sent by MailHostIT.");
        try (SMTPTransport transport = (SMTPTransport) session.getTransport(protocol)) {
            transport.connect(LocalMailHost.HOST, port, user, password);
            try {
                transport.sendMessage(message, new Address[] {new InternetAddress(to)});
                return new Outcome(transport.getLastReturnCode(), transport.getLastServerResponse());
            } catch (SendFailedException refused) {
                for (Exception next = refused; next != null; next = nextOf(next)) {
                    if (next instanceof SMTPAddressFailedException rcpt) {
                        return new Outcome(rcpt.getReturnCode(), rcpt.getMessage());
                    }
                }
                throw refused;
            }
        }
    }

    private static Exception nextOf(Exception exception) {
        return exception instanceof MessagingException messaging ? messaging.getNextException() : null;
    }

    private static Properties trustingAnyCertificate(String protocol) {
        Properties properties = new Properties();
        properties.put("mail." + protocol + ".ssl.trust", "*");
        properties.put("mail." + protocol + ".ssl.checkserveridentity", "false");
        properties.put("mail." + protocol + ".connectiontimeout", "10000");
        properties.put("mail." + protocol + ".timeout", "20000");
        return properties;
    }
}
