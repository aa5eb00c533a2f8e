package dev.mailops.mailhost.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyFilesTest {

    static final byte[] OLD = "-----BEGIN PRIVATE KEY-----\nold\n-----END PRIVATE KEY-----\n".getBytes(StandardCharsets.US_ASCII);
    static final byte[] NEW = "-----BEGIN PRIVATE KEY-----\nnew\n-----END PRIVATE KEY-----\n".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path root;

    @Test
    void aKeyFileIsReadableByItsOwnerAndGroupOnlyInADirectoryOnlyTheyEnter() throws Exception {
        KeyFiles files = new KeyFiles(root.resolve("dkim-keys"), Optional.empty());

        Path written = files.write("k1", OLD);

        assertThat(written).isEqualTo(root.resolve("dkim-keys/k1.pem"));
        assertThat(Files.readAllBytes(written)).isEqualTo(OLD);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(written))).isEqualTo("rw-r-----");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("dkim-keys")))).isEqualTo("rwxr-x---");
        assertThat(files.holds("k1", OLD)).isTrue();
        assertThat(files.holds("k1", NEW)).isFalse();
    }

    @Test
    void theConfiguredGroupOwnsTheFilesAndTheDirectory() throws Exception {
        // The test's own primary group: one the process may always give its files.
        String group = Files.readAttributes(root, PosixFileAttributes.class).group().getName();
        KeyFiles files = new KeyFiles(root.resolve("dkim-keys"), Optional.of(group));

        Path written = files.write("k1", OLD);

        assertThat(Files.readAttributes(written, PosixFileAttributes.class).group().getName()).isEqualTo(group);
        assertThat(Files.readAttributes(root.resolve("dkim-keys"), PosixFileAttributes.class).group().getName()).isEqualTo(group);
        assertThat(files.holds("k1", OLD)).isTrue();
    }

    @Test
    void aWrongModeIsCorrectedByTheNextWrite() throws Exception {
        KeyFiles files = new KeyFiles(root, Optional.empty());
        Path written = files.write("k1", OLD);
        Files.setPosixFilePermissions(written, PosixFilePermissions.fromString("rw-r--r--"));

        assertThat(files.holds("k1", OLD)).as("a world-readable file is not what it should be").isFalse();
        files.write("k1", OLD);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(written))).isEqualTo("rw-r-----");
    }

    @Test
    void aReplacementIsANewFileMovedOverTheOldOneSoAReaderOfTheOldOneIsNotDisturbed() throws Exception {
        KeyFiles files = new KeyFiles(root, Optional.empty());
        Path written = files.write("k1", OLD);
        Object oldInode = Files.readAttributes(written, PosixFileAttributes.class).fileKey();

        try (InputStream reader = Files.newInputStream(written)) {
            files.write("k1", NEW);

            assertThat(reader.readAllBytes()).as("the old file, whole, to whoever opened it before").isEqualTo(OLD);
        }
        assertThat(Files.readAllBytes(written)).isEqualTo(NEW);
        assertThat(Files.readAttributes(written, PosixFileAttributes.class).fileKey()).isNotEqualTo(oldInode);
        try (var left = Files.list(root)) {
            assertThat(left.map(path -> path.getFileName().toString())).containsExactly("k1.pem");
        }
    }

    @Test
    void namesListsTheKeyFilesAndRemoveDeletesOne() throws Exception {
        KeyFiles files = new KeyFiles(root, Optional.empty());
        files.write("k1", OLD);
        files.write("k2", NEW);
        Files.writeString(root.resolve("README"), "not a key");

        assertThat(files.names()).containsExactly("k1", "k2");
        assertThat(files.remove("k1")).isTrue();
        assertThat(files.remove("k1")).isFalse();

        assertThat(files.names()).containsExactly("k2");
        assertThat(root.resolve("k1.pem")).doesNotExist();
    }

    @Test
    void aTemporaryFileLeftByAWriteThatDiedIsNoKeyAndIsCleanedUp() throws Exception {
        KeyFiles files = new KeyFiles(root, Optional.empty());
        files.write("k1", OLD);
        Path leftover = Files.createTempFile(root, ".writing-", ".pem");

        assertThat(files.names()).containsExactly("k1");
        files.removeLeftovers();

        assertThat(leftover).doesNotExist();
        assertThat(root.resolve("k1.pem")).exists();
    }

    @Test
    void aDirectoryThatIsNotThereHasNoKeys() throws Exception {
        KeyFiles files = new KeyFiles(root.resolve("missing"), Optional.empty());

        assertThat(files.names()).isEmpty();
        assertThat(files.holds("k1", OLD)).isFalse();
    }
}
