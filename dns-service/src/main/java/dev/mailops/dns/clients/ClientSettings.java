package dev.mailops.dns.clients;

import java.util.List;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The settings a mail client needs for an account of a domain: IMAP, POP3 and SMTP, each with SSL/TLS,
 * STARTTLS or no encryption, on {@code mail.<domain>}. Server name pattern and ports are configuration.
 */
@ConfigMapping(prefix = "dns.client")
public interface ClientSettings {

    /** The server every mail client connects to; {domain} is the mail domain. */
    @WithDefault("mail.{domain}")
    String serverPattern();

    Ports ssl();

    Ports starttls();

    Ports none();

    interface Ports {
        int imap();

        int pop3();

        int smtp();
    }

    /** One row of a table. */
    record Row(String serverType, String server, String connectionSecurity, int port) {
    }

    default String server(String domain) {
        return serverPattern().replace("{domain}", domain);
    }

    default List<Row> table(String security, String domain) {
        Ports ports = switch (security) {
            case "SSL/TLS" -> ssl();
            case "STARTTLS" -> starttls();
            default -> none();
        };
        String server = server(domain);
        return List.of(new Row("IMAP", server, security, ports.imap()), new Row("POP3", server, security, ports.pop3()),
                new Row("SMTP", server, security, ports.smtp()));
    }
}
