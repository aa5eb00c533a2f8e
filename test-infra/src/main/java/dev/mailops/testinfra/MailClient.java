package dev.mailops.testinfra;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import jakarta.mail.Address;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Quota;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import org.eclipse.angus.mail.imap.IMAPStore;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPTransport;

/**
 * What a mail client does with a {@link MailHost}, with Eclipse Angus Mail (Jakarta Mail). The mail
 * host's certificate is self-signed: these sessions trust any certificate, which only a test may do.
 */
public final class MailClient {

    /** IMAPS (TLS from the start), IMAP with STARTTLS required, POP3S, or POP3 with STARTTLS required. */
    public enum Access { IMAPS, IMAP_STARTTLS, POP3S, POP3_STARTTLS }

    /** How a mail was sent: 250 when accepted, else the SMTP code of the refusal. */
    public record Outcome(int code, String response) {
        public boolean accepted() {
            return code == 250;
        }
    }

    private final MailHost host;

    MailClient(MailHost host) {
        this.host = host;
    }

    public Store login(Access access, String user, String password) throws MessagingException {
        String protocol = switch (access) {
            case IMAPS -> "imaps";
            case IMAP_STARTTLS -> "imap";
            case POP3S -> "pop3s";
            case POP3_STARTTLS -> "pop3";
        };
        int port = switch (access) {
            case IMAPS -> host.imapsPort();
            case IMAP_STARTTLS -> host.imapPort();
            case POP3S -> host.pop3sPort();
            case POP3_STARTTLS -> host.pop3Port();
        };
        Properties properties = trustingAnyCertificate(protocol);
        if (access == Access.IMAP_STARTTLS || access == Access.POP3_STARTTLS) {
            properties.put("mail." + protocol + ".starttls.enable", "true");
            properties.put("mail." + protocol + ".starttls.required", "true");
        }
        Store store = Session.getInstance(properties).getStore(protocol);
        store.connect(MailHost.HOST, port, user, password);
        return store;
    }

    /** Whether the login succeeds (closing the session again); false when the mail host refuses the credentials. */
    public boolean canLogIn(Access access, String user, String password) throws MessagingException {
        try (Store store = login(access, user, password)) {
            return store.isConnected();
        } catch (AuthenticationFailedException refused) {
            return false;
        }
    }

    /** The subjects in the INBOX, over IMAPS. */
    public List<String> inbox(String user, String password) throws MessagingException {
        try (Store store = login(Access.IMAPS, user, password); Folder inbox = store.getFolder("INBOX")) {
            inbox.open(Folder.READ_ONLY);
            List<String> subjects = new ArrayList<>();
            for (Message message : inbox.getMessages()) {
                subjects.add(message.getSubject());
            }
            return subjects;
        }
    }

    /** The messages in the INBOX as they are stored (RFC 5322 bytes, header fields as received), over IMAPS. */
    public List<byte[]> inboxMessages(String user, String password) throws MessagingException {
        try (Store store = login(Access.IMAPS, user, password); Folder inbox = store.getFolder("INBOX")) {
            inbox.open(Folder.READ_ONLY);
            List<byte[]> messages = new ArrayList<>();
            for (Message message : inbox.getMessages()) {
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                try {
                    message.writeTo(bytes);
                } catch (IOException e) {
                    throw new MessagingException("Could not read a message", e);
                }
                messages.add(bytes.toByteArray());
            }
            return messages;
        }
    }

    /** GETQUOTAROOT INBOX: the storage limit in KiB of the INBOX's quota root. */
    public long storageLimitKiB(String user, String password) throws MessagingException {
        try (Store store = login(Access.IMAPS, user, password)) {
            for (Quota quota : ((IMAPStore) store).getQuota("INBOX")) {
                for (Quota.Resource resource : quota.resources) {
                    if (resource.name.equalsIgnoreCase("STORAGE")) {
                        return resource.limit;
                    }
                }
            }
            throw new AssertionError("GETQUOTAROOT INBOX reported no STORAGE limit");
        }
    }

    /** Port 25's role (SMTP in): no AUTH, TLS if offered. */
    public Outcome sendIn(String from, String to, String subject) throws MessagingException {
        try (SMTPTransport transport = connect(host.smtpPort(), "smtp", false, null, null)) {
            return send(transport, from, to, subject);
        }
    }

    /**
     * SMTP in, one connection for all: each recipient gets a mail of its own, one after the other (what a
     * sending mail server does with a queue for this host). The outcomes in the recipients' order.
     */
    public List<Outcome> sendInOneConnection(String from, List<String> recipients, String subject)
            throws MessagingException {
        List<Outcome> outcomes = new ArrayList<>();
        try (SMTPTransport transport = connect(host.smtpPort(), "smtp", false, null, null)) {
            for (String to : recipients) {
                outcomes.add(send(transport, from, to, subject));
            }
        }
        return outcomes;
    }

    /** Submission: STARTTLS required; with AUTH when a user is given, without when it is null. */
    public Outcome submit(String user, String password, String from, String to, String subject) throws MessagingException {
        try (SMTPTransport transport = connect(host.submissionPort(), "smtp", true, user, password)) {
            return send(transport, from, to, subject);
        }
    }

    /**
     * Submission, one connection for all (STARTTLS, AUTH as {@code user}): each recipient gets a mail of its
     * own, one after the other, as a mail client sends its outbox. The outcomes in the recipients' order.
     */
    public List<Outcome> submitInOneConnection(String user, String password, String from, List<String> recipients,
            String subject) throws MessagingException {
        List<Outcome> outcomes = new ArrayList<>();
        try (SMTPTransport transport = connect(host.submissionPort(), "smtp", true, user, password)) {
            for (String to : recipients) {
                outcomes.add(send(transport, from, to, subject));
            }
        }
        return outcomes;
    }

    /** SMTPS: TLS from the start, with AUTH. */
    public Outcome submitOverSmtps(String user, String password, String from, String to, String subject)
            throws MessagingException {
        try (SMTPTransport transport = connect(host.smtpsPort(), "smtps", false, user, password)) {
            return send(transport, from, to, subject);
        }
    }

    private SMTPTransport connect(int port, String protocol, boolean startTls, String user, String password)
            throws MessagingException {
        Properties properties = trustingAnyCertificate(protocol);
        properties.put("mail." + protocol + ".auth", Boolean.toString(user != null));
        if (startTls) {
            properties.put("mail." + protocol + ".starttls.enable", "true");
            properties.put("mail." + protocol + ".starttls.required", "true");
        }
        SMTPTransport transport = (SMTPTransport) Session.getInstance(properties).getTransport(protocol);
        transport.connect(MailHost.HOST, port, user, password);
        return transport;
    }

    private static Outcome send(SMTPTransport transport, String from, String to, String subject)
            throws MessagingException {
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()));
        message.setFrom(new InternetAddress(from));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
        message.setSubject(subject);
        message.setText("Sent by a mailops test.");
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
