package io.iotgateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The gateway's data directory ({@code gateway.data-dir}), which holds the registry's database and the generated
 * master key: closed to everyone but its owner (700), and its files the owner's only (600). H2 creates its files
 * itself, with the process's umask (usually world-readable), so the files are tightened after the database is
 * opened and the closed directory keeps out whatever H2 creates later. Where the gateway may not change the
 * permissions (a volume owned by another user), it warns and goes on. Nothing happens on file systems without
 * POSIX permissions.
 */
public final class DataDirectory {

    private static final Log log = LogFactory.getLog(DataDirectory.class);

    private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");

    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private DataDirectory() {
    }

    /** Creates the directory closed, or closes it if it exists; closes the files in it. */
    public static Path prepare(Path dataDir) {
        Path directory = dataDir.toAbsolutePath().normalize();
        boolean posix = directory.getFileSystem().supportedFileAttributeViews().contains("posix");
        try {
            Path parent = directory.getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            if (posix) {
                Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(DIRECTORY));
            }
            else {
                Files.createDirectory(directory);
            }
        }
        catch (FileAlreadyExistsException exists) {
            // an existing data directory, closed below
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot create the data directory " + directory, ex);
        }
        if (posix) {
            restrict(directory, DIRECTORY);
            closeFiles(directory);
        }
        return directory;
    }

    /** Gives every file directly in the directory to its owner only (symbolic links are left alone). */
    public static void closeFiles(Path directory) {
        if (!directory.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(directory)) {
            files = list.filter(file -> Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)).toList();
        }
        catch (IOException ex) {
            log.warn("Cannot list the data directory " + directory + " to restrict its files: " + ex);
            return;
        }
        files.forEach(file -> restrict(file, FILE));
    }

    private static void restrict(Path path, Set<PosixFilePermission> permissions) {
        try {
            Set<PosixFilePermission> current = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
            if (current.equals(permissions)) {
                return;
            }
            Files.setPosixFilePermissions(path, permissions);
            String message = "Restricted " + path + " to its owner (" + PosixFilePermissions.toString(current) + " -> "
                    + PosixFilePermissions.toString(permissions) + ")";
            // a file H2 has just made is routine; an open directory is worth a line
            if (Files.isDirectory(path)) {
                log.info(message + ": it holds the device registry and its master key");
            }
            else if (log.isDebugEnabled()) {
                log.debug(message);
            }
        }
        catch (IOException | UnsupportedOperationException ex) {
            log.warn("Cannot restrict " + path + " to its owner (" + ex.getClass().getSimpleName() + "): it holds "
                    + "the device registry and its master key; make it " + PosixFilePermissions.toString(permissions)
                    + " yourself, or give the gateway's user a directory it owns (gateway.data-dir)");
        }
    }
}
