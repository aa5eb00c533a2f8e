package dev.mailops.mailhost.removal;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Dovecot's doveadm HTTP API ({@code POST /doveadm/v1}, a JSON array of commands, authorised by the
 * API key), which reaches the mail whether Dovecot runs beside this service or in a pod of its own.
 * The user must still be resolvable by Dovecot's userdb; the views keep an address whose mail is
 * being removed there (and out of passdb and Postfix).
 */
@ApplicationScoped
public class Doveadm {

    /** A command the mail host refused or could not be reached for. */
    public static class DoveadmException extends Exception {
        DoveadmException(String message) {
            super(message);
        }

        DoveadmException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Inject
    ObjectMapper json;

    @ConfigProperty(name = "mailhost.doveadm.url")
    URI url;
    @ConfigProperty(name = "mailhost.doveadm.api-key-file")
    Optional<Path> apiKeyFile;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** Whether this service knows how to reach the API (a key file is configured). */
    public boolean configured() {
        return apiKeyFile.isPresent();
    }

    /**
     * Removes all of the user's mail: expunges every message of every folder, deletes every folder but
     * the INBOX, and checks that no message is left. Safe to repeat.
     */
    public void removeAllMail(String user) throws DoveadmException {
        List<String> folders = new ArrayList<>();
        for (JsonNode folder : call("mailboxList", Map.of("user", user))) {
            folders.add(folder.path("mailbox").asText());
        }
        call("expunge", Map.of("user", user, "query", List.of("mailbox", "*", "all")));
        List<String> deletable = folders.stream().filter(name -> !name.equalsIgnoreCase("INBOX"))
                .sorted(Comparator.comparingInt(String::length).reversed()).toList();
        if (!deletable.isEmpty()) {
            call("mailboxDelete", Map.of("user", user, "mailbox", deletable, "recursive", true, "subscriptions", true));
        }
        long left = 0;
        for (JsonNode status : call("mailboxStatus", Map.of("user", user, "field", List.of("messages"),
                "mailboxMask", List.of("*")))) {
            left += status.path("messages").asLong();
        }
        if (left > 0) {
            throw new DoveadmException(left + " messages of " + user + " are left after the expunge");
        }
    }

    /** Whether the API answers with this service's key (listing no more than the commands). */
    public boolean answers() {
        try {
            return send(HttpRequest.newBuilder(url).GET()).statusCode() == 200;
        } catch (DoveadmException e) {
            return false;
        }
    }

    private JsonNode call(String command, Map<String, Object> parameters) throws DoveadmException {
        String body;
        try {
            body = json.writeValueAsString(List.of(List.of(command, parameters, "t")));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        HttpResponse<String> response = send(HttpRequest.newBuilder(url)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        if (response.statusCode() != 200) {
            throw new DoveadmException(command + ": HTTP " + response.statusCode());
        }
        JsonNode answer;
        try {
            answer = json.readTree(response.body()).path(0);
        } catch (JsonProcessingException e) {
            throw new DoveadmException(command + ": the answer is not JSON", e);
        }
        if ("error".equals(answer.path(0).asText())) {
            throw new DoveadmException(command + " failed for " + parameters.get("user") + ": exit code "
                    + answer.path(1).path("exitCode").asText(answer.path(1).toString()));
        }
        if (!"doveadmResponse".equals(answer.path(0).asText())) {
            throw new DoveadmException(command + ": unexpected answer " + answer.path(0).asText());
        }
        return answer.path(1);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws DoveadmException {
        try {
            return http.send(request.timeout(TIMEOUT).header("Authorization", "X-Dovecot-API " + encodedKey()).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new DoveadmException("doveadm at " + url + " cannot be reached: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DoveadmException("interrupted", e);
        }
    }

    /** Read at each call: the key file may be written or rotated after this service started. */
    private String encodedKey() throws DoveadmException {
        Path file = apiKeyFile.orElseThrow(() -> new DoveadmException("mailhost.doveadm.api-key-file is not set"));
        try {
            return Base64.getEncoder().encodeToString(Files.readString(file, StandardCharsets.UTF_8).strip()
                    .getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new DoveadmException("cannot read the doveadm API key from " + file, e);
        }
    }
}
