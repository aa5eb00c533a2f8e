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
import java.util.HashMap;
import java.util.LinkedHashMap;
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

    private final ObjectMapper json;
    private final URI url;
    private final Optional<Path> apiKeyFile;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Inject
    public Doveadm(ObjectMapper json, @ConfigProperty(name = "mailhost.doveadm.url") URI url,
            @ConfigProperty(name = "mailhost.doveadm.api-key-file") Optional<Path> apiKeyFile) {
        this.json = json;
        this.url = url;
        this.apiKeyFile = apiKeyFile;
    }

    /** Whether this service knows how to reach the API (a key file is configured). */
    public boolean configured() {
        return apiKeyFile.isPresent();
    }

    /**
     * Removes all of the users' mail: expunges every message of every folder, deletes every folder but
     * the INBOX, and checks that no message and no other folder is left. Safe to repeat. The users go in
     * two requests, however many they are (their folders, then the rest): Dovecot starts a doveadm process
     * for each request, which costs more CPU than the commands themselves.
     *
     * @return the reason, by user, why a user's mail could not be removed; the others' mail is gone
     * @throws DoveadmException when the API cannot be reached or answers no command: every user's removal has
     *         failed, some perhaps half done (a repeat finishes it)
     */
    public Map<String, String> removeAllMail(List<String> users) throws DoveadmException {
        Map<String, String> failures = new LinkedHashMap<>();
        List<Command> lists = new ArrayList<>();
        for (int i = 0; i < users.size(); i++) {
            lists.add(new Command("mailboxList", Map.of("user", users.get(i)), "list-" + i, true));
        }
        Map<String, JsonNode> folders = calls(lists, failures, users);
        List<Command> removals = new ArrayList<>();
        for (int i = 0; i < users.size(); i++) {
            String user = users.get(i);
            if (failures.containsKey(user)) {
                continue;
            }
            removals.add(new Command("expunge", Map.of("user", user, "query", List.of("mailbox", "*", "all")),
                    "expunge-" + i, true));
            List<String> deletable = otherThanInbox(folders.get("list-" + i));
            if (!deletable.isEmpty()) {
                // Deepest first, each by name. doveadm also lists the parents a nested folder implies without
                // their existing, and answers 68 (not found) for those after deleting the rest: the lists
                // after the deletion decide.
                deletable.sort(Comparator.comparingInt(String::length).reversed());
                removals.add(new Command("mailboxDelete", Map.of("user", user, "mailbox", deletable, "recursive", false,
                        "subscriptions", true), "delete-" + i, false));
            }
            removals.add(new Command("mailboxStatus", Map.of("user", user, "field", List.of("messages"),
                    "mailboxMask", List.of("*")), "status-" + i, true));
            removals.add(new Command("mailboxList", Map.of("user", user), "left-" + i, true));
        }
        if (removals.isEmpty()) {
            return failures;
        }
        Map<String, JsonNode> after = calls(removals, failures, users);
        for (int i = 0; i < users.size(); i++) {
            String user = users.get(i);
            if (failures.containsKey(user)) {
                continue;
            }
            long messages = 0;
            for (JsonNode folder : after.get("status-" + i)) {
                messages += folder.path("messages").asLong();
            }
            List<String> left = otherThanInbox(after.get("left-" + i));
            if (messages > 0 || !left.isEmpty()) {
                failures.put(user, messages + " messages and the folders " + left + " are left after the removal");
            }
        }
        return failures;
    }

    private static List<String> otherThanInbox(JsonNode folders) {
        List<String> names = new ArrayList<>();
        folders.forEach(folder -> names.add(folder.path("mailbox").asText()));
        names.removeIf(name -> name.equalsIgnoreCase("INBOX"));
        return names;
    }

    /**
     * One command of a request; its tag names the user by index ({@code list-3}) and comes back with the
     * answer. An error of a decisive command is the user's failure; the others' effect is checked after them.
     */
    private record Command(String name, Map<String, Object> parameters, String tag, boolean decisive) {
        int user() {
            return Integer.parseInt(tag.substring(tag.indexOf('-') + 1));
        }
    }

    /** Whether the API answers with this service's key (listing no more than the commands). */
    public boolean answers() {
        try {
            return send(HttpRequest.newBuilder(url).timeout(TIMEOUT).GET()).statusCode() == 200;
        } catch (DoveadmException e) {
            return false;
        }
    }

    /**
     * Sends the commands in one request; doveadm runs them in order, each whether or not the one before it
     * failed. Returns the answers of those that succeeded, by tag, and puts each failed decisive command's
     * reason under its user.
     */
    private Map<String, JsonNode> calls(List<Command> commands, Map<String, String> failures, List<String> users)
            throws DoveadmException {
        String body;
        try {
            body = json.writeValueAsString(commands.stream().map(c -> List.of(c.name(), c.parameters(), c.tag())).toList());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        String what = commands.size() + " commands (" + commands.get(0).name() + ", ...)";
        HttpResponse<String> response = send(HttpRequest.newBuilder(url)
                .header("Content-Type", "application/json")
                .timeout(TIMEOUT.multipliedBy(commands.size()))
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        if (response.statusCode() != 200) {
            throw new DoveadmException(what + ": HTTP " + response.statusCode());
        }
        JsonNode answers;
        try {
            answers = json.readTree(response.body());
        } catch (JsonProcessingException e) {
            throw new DoveadmException(what + ": the answer is not JSON", e);
        }
        Map<String, JsonNode> byTag = new HashMap<>();
        answers.forEach(answer -> byTag.put(answer.path(2).asText(), answer));
        Map<String, JsonNode> succeeded = new HashMap<>();
        for (Command command : commands) {
            JsonNode answer = byTag.get(command.tag());
            String kind = answer == null ? "" : answer.path(0).asText();
            if (kind.equals("doveadmResponse")) {
                succeeded.put(command.tag(), answer.path(1));
                continue;
            }
            if (!command.decisive()) {
                continue;
            }
            String reason = answer == null ? "no answer"
                    : kind.equals("error") ? "exit code " + answer.path(1).path("exitCode").asText(answer.path(1).toString())
                    : "unexpected answer " + kind;
            failures.putIfAbsent(users.get(command.user()), command.name() + ": " + reason);
        }
        return succeeded;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws DoveadmException {
        try {
            return http.send(request.header("Authorization", "X-Dovecot-API " + encodedKey()).build(),
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
