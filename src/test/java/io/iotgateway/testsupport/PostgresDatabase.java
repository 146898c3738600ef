package io.iotgateway.testsupport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A database of its own on the local PostgreSQL server (127.0.0.1:5432, user {@code postgres}, trust
 * authentication, as on the development and CI machines), for processes that need a shared registry: created
 * fresh with {@code CREATE DATABASE}, dropped with its connections on {@link #close()}, so parallel runs never
 * meet and a failed run leaves nothing that the next one trips over.
 */
public final class PostgresDatabase implements AutoCloseable {

    public static final String HOST = "127.0.0.1";

    public static final int PORT = 5432;

    public static final String USERNAME = "postgres";

    private static final String MAINTENANCE_URL = "jdbc:postgresql://" + HOST + ":" + PORT + "/postgres";

    private final String name;

    private boolean dropped;

    private PostgresDatabase(String name) {
        this.name = name;
    }

    /** Whether the local server accepts connections, for an assumption that skips a test without it. */
    public static boolean isReachable() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, PORT), 500);
            return true;
        }
        catch (IOException ex) {
            return false;
        }
    }

    /**
     * Creates an empty database named {@code <prefix>_<random>}.
     * @param prefix lower-case letters, digits and underscores
     */
    public static PostgresDatabase create(String prefix) {
        if (!prefix.matches("[a-z][a-z0-9_]{0,40}")) {
            throw new IllegalArgumentException("Database prefix must be lower-case letters, digits and _: " + prefix);
        }
        String name = prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        execute("create database " + name);
        return new PostgresDatabase(name);
    }

    public String name() {
        return this.name;
    }

    /** {@code jdbc:postgresql://127.0.0.1:5432/<name>}, for {@code spring.datasource.url}. */
    public String jdbcUrl() {
        return "jdbc:postgresql://" + HOST + ":" + PORT + "/" + this.name;
    }

    /** A new connection to this database; the caller closes it. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), USERNAME, "");
    }

    /** Whether the database still exists on the server. */
    public boolean exists() {
        try (Connection connection = DriverManager.getConnection(MAINTENANCE_URL, USERNAME, "");
                var query = connection.prepareStatement("select 1 from pg_database where datname = ?")) {
            query.setString(1, this.name);
            try (var result = query.executeQuery()) {
                return result.next();
            }
        }
        catch (SQLException ex) {
            throw new IllegalStateException("Cannot ask PostgreSQL for database " + this.name, ex);
        }
    }

    /** Drops the database, ending the connections still open to it (a killed gateway's). Safe to call twice. */
    @Override
    public void close() {
        if (!this.dropped) {
            execute("drop database if exists " + this.name + " with (force)");
            this.dropped = true;
        }
    }

    @Override
    public String toString() {
        return "PostgresDatabase[" + jdbcUrl() + "]";
    }

    // CREATE and DROP DATABASE cannot run in a transaction block: auto-commit, on the maintenance database
    private static void execute(String sql) {
        try (Connection connection = DriverManager.getConnection(MAINTENANCE_URL, USERNAME, "");
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
        catch (SQLException ex) {
            throw new IllegalStateException("PostgreSQL at " + HOST + ":" + PORT + " refused: " + sql, ex);
        }
    }
}
