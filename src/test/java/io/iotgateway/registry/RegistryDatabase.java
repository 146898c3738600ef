package io.iotgateway.registry;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Assumptions;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.util.FileSystemUtils;

/**
 * A real database for the registry tests, migrated by the production Flyway scripts: an H2 file, or a schema of
 * its own in a PostgreSQL server (the one on 127.0.0.1:5432 of the development and CI machines, or a container),
 * dropped afterwards so parallel runs never meet.
 */
final class RegistryDatabase {

    static final String LOCAL_POSTGRES = "jdbc:postgresql://127.0.0.1:5432/test";

    private final String name;

    private final String url;

    private final String username;

    private final String password;

    private final String schema;

    private HikariDataSource dataSource;

    private Path h2Directory;

    private RegistryDatabase(String name, String url, String username, String password, String schema) {
        this.name = name;
        this.url = url;
        this.username = username;
        this.password = password;
        this.schema = schema;
    }

    static RegistryDatabase h2() {
        return new RegistryDatabase("H2", "", "sa", "", "PUBLIC");
    }

    static RegistryDatabase localPostgres() {
        return postgres("PostgreSQL 127.0.0.1:5432", LOCAL_POSTGRES, "postgres", "");
    }

    static RegistryDatabase postgres(String name, String url, String username, String password) {
        String schema = "registry_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        return new RegistryDatabase(name, url, username, password, schema);
    }

    /** Opens and migrates the database, unless it is a local PostgreSQL that is not running. */
    void open() throws IOException {
        if (this.url.isEmpty()) {
            this.h2Directory = Files.createTempDirectory("registry-h2");
            this.dataSource = pool("jdbc:h2:file:" + this.h2Directory.resolve("registry"));
        }
        else {
            if (this.url.equals(LOCAL_POSTGRES) && !reachable("127.0.0.1", 5432)) {
                return;
            }
            try (HikariDataSource admin = pool(this.url)) {
                JdbcClient.create(admin).sql("create schema " + this.schema).update();
            }
            this.dataSource = pool(this.url);
            this.dataSource.setSchema(this.schema);
        }
        Flyway.configure().dataSource(this.dataSource).schemas(this.schema).load().migrate();
    }

    /** Empties the registry; skips the test (an assumption) when the database could not be opened. */
    void clean() {
        Assumptions.assumeTrue(this.dataSource != null, () -> "no " + this.name + " to test against");
        jdbc().sql("delete from device").update();
    }

    void close() {
        if (this.dataSource == null) {
            return;
        }
        if (this.h2Directory == null) {
            jdbc().sql("drop schema " + this.schema + " cascade").update();
        }
        this.dataSource.close();
        if (this.h2Directory != null) {
            FileSystemUtils.deleteRecursively(this.h2Directory.toFile());
        }
    }

    DataSource dataSource() {
        return this.dataSource;
    }

    JdbcClient jdbc() {
        return JdbcClient.create(this.dataSource);
    }

    TransactionTemplate transactions() {
        return new TransactionTemplate(new DataSourceTransactionManager(this.dataSource));
    }

    private HikariDataSource pool(String jdbcUrl) {
        HikariDataSource pool = new HikariDataSource();
        pool.setJdbcUrl(jdbcUrl);
        pool.setUsername(this.username);
        pool.setPassword(this.password);
        pool.setMaximumPoolSize(8);
        return pool;
    }

    private static boolean reachable(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 500);
            return true;
        }
        catch (IOException ex) {
            return false;
        }
    }

    @Override
    public String toString() {
        return this.name;
    }
}
