package dev.mailops.dns.api;

import java.io.StringReader;
import java.util.Locale;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;

import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.w3c.dom.Document;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;

import dev.mailops.dns.clients.ClientSettings;
import dev.mailops.dns.zone.ZoneStore;
import dev.mailops.kit.errors.NotFoundException;
import dev.mailops.kit.errors.ValidationException;

/**
 * What mail clients ask on their own to set up an account: Mozilla autoconfig (Thunderbird and
 * others) and Microsoft Autodiscover in its plain-old-XML form (Outlook). Answered for the domains
 * this service hosts, without authentication, with the configured client settings.
 */
@Path("/")
@PermitAll
public class MailClientResource {

    @Inject
    @Location("autoconfig.xml")
    Template autoconfig;
    @Inject
    @Location("autodiscover.xml")
    Template autodiscover;
    @Inject
    ClientSettings settings;
    @Inject
    ZoneStore zones;

    @GET
    @Path("/mail/config-v1.1.xml")
    @Produces(MediaType.APPLICATION_XML)
    public String mozillaAutoconfig(@QueryParam("emailaddress") String email) {
        String domain = hostedDomain(email);
        return autoconfig.data("domain", domain).data("server", settings.server(domain)).data("ssl", settings.ssl())
                .data("starttls", settings.starttls()).render();
    }

    @GET
    @Path("/.well-known/autoconfig/mail/config-v1.1.xml")
    @Produces(MediaType.APPLICATION_XML)
    public String mozillaAutoconfigWellKnown(@QueryParam("emailaddress") String email) {
        return mozillaAutoconfig(email);
    }

    @POST
    @Path("/autodiscover/autodiscover.xml")
    @Consumes({ MediaType.TEXT_XML, MediaType.APPLICATION_XML })
    @Produces(MediaType.APPLICATION_XML)
    public String microsoftAutodiscover(String request) {
        String email = emailOf(request);
        String domain = hostedDomain(email);
        return autodiscover.data("email", email).data("server", settings.server(domain)).data("ssl", settings.ssl())
                .render();
    }

    @POST
    @Path("/Autodiscover/Autodiscover.xml")
    @Consumes({ MediaType.TEXT_XML, MediaType.APPLICATION_XML })
    @Produces(MediaType.APPLICATION_XML)
    public String microsoftAutodiscoverCapitalised(String request) {
        return microsoftAutodiscover(request);
    }

    private String hostedDomain(String email) {
        if (email == null || !email.matches("[^@\\s<>&\"']{1,64}@[A-Za-z0-9.-]{1,253}")) {
            throw ValidationException.of("emailaddress", "must be the email address of the account");
        }
        String domain = email.substring(email.indexOf('@') + 1).toLowerCase(Locale.ROOT);
        zones.zone(domain).orElseThrow(() -> new NotFoundException(domain + " is not hosted here"));
        return domain;
    }

    /** The EMailAddress of an Autodiscover request; the parser refuses DTDs and external entities. */
    private static String emailOf(String request) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setNamespaceAware(true);
            Document document = factory.newDocumentBuilder().parse(new InputSource(new StringReader(request)));
            NodeList addresses = document.getElementsByTagNameNS("*", "EMailAddress");
            if (addresses.getLength() == 0) {
                throw ValidationException.of("EMailAddress", "the Autodiscover request names no EMailAddress");
            }
            return addresses.item(0).getTextContent().strip();
        } catch (ValidationException e) {
            throw e;
        } catch (Exception e) {
            throw ValidationException.of("body", "is not an Autodiscover request (XML)");
        }
    }
}
