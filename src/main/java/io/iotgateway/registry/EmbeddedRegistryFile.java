package io.iotgateway.registry;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

import io.iotgateway.DataDirectory;
import io.iotgateway.StartupRefusedException;

/**
 * The embedded registry's H2 file in the data directory, opened once at start and held open until the context
 * closes. H2 lets one process open the file, and a second one fails with a lock error: this says so in one line
 * that names the directory, not as a stack trace from the pool and Flyway. Holding the connection keeps the file
 * locked from that check on: H2 closes a database, and unlocks its file, when its last connection closes, so a
 * check whose connection closed again would leave a second process room to take the file before the pool opens
 * it (two gateways started at once). The pool's connections, in this process, share the open database.
 */
final class EmbeddedRegistryFile implements AutoCloseable {

    static final String DATABASE_FILE = "registry.mv.db";

    // org.h2.api.ErrorCode.DATABASE_ALREADY_OPEN_1 (H2 is only on the runtime class path)
    private static final int H2_DATABASE_ALREADY_OPEN = 90020;

    private final String url;

    private final Connection holder;

    private EmbeddedRegistryFile(String url, Connection holder) {
        this.url = url;
        this.holder = holder;
    }

    /**
     * Prepares the data directory and opens the database in it.
     * @throws StartupRefusedException when another process has the database open
     */
    static EmbeddedRegistryFile open(Path dataDir) {
        Path directory = DataDirectory.prepare(dataDir);
        // DB_CLOSE_ON_EXIT=FALSE: the context closes the pool after the graceful shutdown, not H2's shutdown hook
        String url = "jdbc:h2:file:" + directory.resolve("registry") + ";DB_CLOSE_ON_EXIT=FALSE";
        Connection holder;
        try {
            holder = DriverManager.getConnection(url, "sa", "");
        }
        catch (SQLException ex) {
            if (ex.getErrorCode() == H2_DATABASE_ALREADY_OPEN) {
                throw new StartupRefusedException("The data directory " + directory + " is in use by another "
                        + "gateway process (its registry database " + DATABASE_FILE + " is locked).", "Stop the "
                                + "other process, or give this one its own directory with gateway.data-dir=... (or "
                                + "a shared database with spring.datasource.url).",
                        ex);
            }
            throw new IllegalStateException("Cannot open the registry database in " + directory, ex);
        }
        // a new database file was made with the process's umask
        DataDirectory.closeFiles(directory);
        return new EmbeddedRegistryFile(url, holder);
    }

    /** The JDBC URL of the database, for the pool. */
    String url() {
        return this.url;
    }

    /** Lets the database close (and unlock its file) once the pool's connections are closed too. */
    @Override
    public void close() throws SQLException {
        this.holder.close();
    }
}
