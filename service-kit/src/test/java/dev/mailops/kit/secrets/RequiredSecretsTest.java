package dev.mailops.kit.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/** What a packaged service refuses to start with: each kind of entry of {@code mailops.required-secrets}. */
class RequiredSecretsTest {

    @TempDir
    Path directory;

    final Map<String, String> configuration = new HashMap<>();

    @Test
    void aListedSecretWithAValueOfItsOwnPasses() {
        given("mailops.gateway-token", "6f1c0e1b9a3d47c2b8e5a0f4d2c7e91a");

        assertThat(problemsOf("mailops.gateway-token")).isEmpty();
    }

    @Test
    void aMissingOrBlankSecretIsNamedWithItsEnvironmentVariable() {
        given("quarkus.datasource.password", "${BILLING_DB_PASSWORD:}");
        given("mailops.gateway-token", "  ");

        assertThat(problemsOf("quarkus.datasource.password,mailops.gateway-token,never.configured")).containsExactly(
                "quarkus.datasource.password (BILLING_DB_PASSWORD) is not set", "mailops.gateway-token is not set",
                "never.configured is not set");
    }

    @Test
    void knownPlaceholdersAreNoSecretsInAnyCaseAndInsideLongerValues() {
        for (String placeholder : List.of("change-me", "CHANGE-ME-NOW", "REPLACE_ME", "local-gateway-token", "changeit",
                "secret", "Password", "my-change-me-token")) {
            given("mailops.gateway-token", placeholder);

            assertThat(problemsOf("mailops.gateway-token")).as(placeholder)
                    .containsExactly("mailops.gateway-token is a placeholder, not a secret");
        }
        assertThat(Placeholders.isPlaceholder("a-secret-of-mine-4f9e")).as("a word inside a real value").isFalse();
    }

    @Test
    void aSecretFileMustExistAndHoldMoreThanAPlaceholder() throws Exception {
        Path good = Files.writeString(directory.resolve("kek"), "q5Yk1n1Oa3vM2yR8l0cT9uWbX6sZ4pJ7hE2dF0gA1iU=\n");
        Path empty = Files.writeString(directory.resolve("empty"), "\n");
        Path placeholder = Files.writeString(directory.resolve("placeholder"), "REPLACE_ME\n");
        given("good.file", good.toString());
        given("good.url", "file:" + good);
        given("empty.file", empty.toString());
        given("placeholder.file", placeholder.toString());
        given("missing.file", directory.resolve("nothing-here").toString());

        assertThat(problemsOf("file:good.file,file:good.url")).isEmpty();
        assertThat(problemsOf("file:empty.file,file:placeholder.file,file:missing.file,file:unset.file"))
                .containsExactly("empty.file names an empty file (" + empty + ")",
                        "placeholder.file names a file that holds a placeholder, not a secret (" + placeholder + ")",
                        "missing.file names no readable file (" + directory.resolve("nothing-here") + ")",
                        "unset.file is not set");
    }

    @Test
    void aConditionalSecretIsRequiredOnlyWhileItsSwitchIsOn() {
        given("mailbox.dkim.enabled", "false");

        assertThat(problemsOf("file:mailbox.dkim.key-encryption-key-file if mailbox.dkim.enabled")).isEmpty();

        given("mailbox.dkim.enabled", "true");

        assertThat(problemsOf("file:mailbox.dkim.key-encryption-key-file if mailbox.dkim.enabled"))
                .containsExactly("mailbox.dkim.key-encryption-key-file is not set");
    }

    @Test
    void anOptionalSecretIsCheckedOnlyWhenSet() {
        assertThat(problemsOf("file:mailhost.doveadm.api-key-file if set")).isEmpty();

        given("mailhost.doveadm.api-key-file", directory.resolve("gone").toString());

        assertThat(problemsOf("file:mailhost.doveadm.api-key-file if set"))
                .containsExactly("mailhost.doveadm.api-key-file names no readable file (" + directory.resolve("gone") + ")");
    }

    @Test
    void theRefusalNamesEverySecretButNoValue() {
        given("mailops.gateway-token", "change-me-now");
        given("quarkus.datasource.password", "");
        given(RequiredSecrets.LIST, "mailops.gateway-token,quarkus.datasource.password");

        var refusal = catchThrowableOfType(
                () -> RequiredSecrets.requireAll(config()), RequiredSecrets.MissingSecretsException.class);

        assertThat(refusal.problems()).hasSize(2);
        assertThat(refusal.getMessage()).startsWith("Refusing to start without its secrets: ")
                .contains("mailops.gateway-token", "quarkus.datasource.password").doesNotContain("change-me-now");
    }

    @Test
    void nothingListedNothingRequired() {
        assertThat(RequiredSecrets.problems(config())).isEmpty();
    }

    private void given(String key, String value) {
        configuration.put(key, value);
    }

    private List<String> problemsOf(String list) {
        configuration.put(RequiredSecrets.LIST, list);
        return RequiredSecrets.problems(config());
    }

    private SmallRyeConfig config() {
        return new SmallRyeConfigBuilder().addDefaultInterceptors()
                .withSources(new PropertiesConfigSource(Map.copyOf(configuration), "test", 500)).build();
    }
}
