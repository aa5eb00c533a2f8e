package dev.mailops.mailhost.dkim;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The signer's key directory: files {@code <name>.pem}, mode 0640 in a directory of mode 0750, both of
 * the configured group when one is set (so the signer, running as a user of that group, reads them and
 * nobody else does). A file is written to a temporary file first, with its final mode and group before
 * any byte of the key, and then moved over the old one, so a reader sees either the old file or the new
 * one, never a part.
 */
public final class KeyFiles {

    static final String SUFFIX = ".pem";
    private static final String TEMPORARY_PREFIX = ".writing-";
    static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-r-----");
    static final Set<PosixFilePermission> DIRECTORY_MODE = PosixFilePermissions.fromString("rwxr-x---");

    private final Path directory;
    private final Optional<String> group;

    public KeyFiles(Path directory, Optional<String> group) {
        this.directory = directory.toAbsolutePath().normalize();
        this.group = group.filter(name -> !name.isBlank());
    }

    public Path directory() {
        return directory;
    }

    /** Where the file of that name is (whether or not it is written). */
    public Path path(String name) {
        return directory.resolve(name + SUFFIX);
    }

    /** Whether the file holds exactly these bytes, with the mode and group it should have. */
    public boolean holds(String name, byte[] content) throws IOException {
        Path file = path(name);
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
                || !Files.getPosixFilePermissions(file).equals(FILE_MODE)
                || group.isPresent() && !groupOf(file).equals(group.get())) {
            return false;
        }
        return Arrays.equals(Files.readAllBytes(file), content);
    }

    /** Writes the file atomically (temporary file, then a move over the old one); returns its path. */
    public Path write(String name, byte[] content) throws IOException {
        prepareDirectory();
        Path temporary = Files.createTempFile(directory, TEMPORARY_PREFIX, SUFFIX,
                PosixFilePermissions.asFileAttribute(FILE_MODE));
        try {
            Files.setPosixFilePermissions(temporary, FILE_MODE); // the umask may have taken bits away
            setGroup(temporary);
            Files.write(temporary, content, StandardOpenOption.TRUNCATE_EXISTING);
            Path target = path(name);
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the key directory " + directory + " cannot replace files atomically", e);
            }
            return target;
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** Deletes the file if it is there. */
    public boolean remove(String name) throws IOException {
        return Files.deleteIfExists(path(name));
    }

    /** The names of the key files in the directory (not temporary files). */
    public List<String> names() throws IOException {
        List<String> names = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return names;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*" + SUFFIX)) {
            for (Path file : files) {
                String fileName = file.getFileName().toString();
                if (!fileName.startsWith(TEMPORARY_PREFIX)) {
                    names.add(fileName.substring(0, fileName.length() - SUFFIX.length()));
                }
            }
        }
        names.sort(null);
        return names;
    }

    /** Deletes temporary files a write left behind when the process died half-way. */
    public void removeLeftovers() throws IOException {
        if (!Files.isDirectory(directory)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, TEMPORARY_PREFIX + "*")) {
            for (Path file : files) {
                Files.deleteIfExists(file);
            }
        }
    }

    private void prepareDirectory() throws IOException {
        Files.createDirectories(directory);
        Files.setPosixFilePermissions(directory, DIRECTORY_MODE);
        setGroup(directory);
    }

    private void setGroup(Path path) throws IOException {
        if (group.isPresent()) {
            GroupPrincipal principal = path.getFileSystem().getUserPrincipalLookupService()
                    .lookupPrincipalByGroupName(group.get());
            Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).setGroup(principal);
        }
    }

    private static String groupOf(Path file) throws IOException {
        return Files.readAttributes(file, java.nio.file.attribute.PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                .group().getName();
    }
}
