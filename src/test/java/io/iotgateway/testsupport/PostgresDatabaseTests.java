package io.iotgateway.testsupport;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link PostgresDatabase} on the local server: a fresh database per call, gone after close. */
class PostgresDatabaseTests {

    @BeforeAll
    static void localServer() {
        Assumptions.assumeTrue(PostgresDatabase.isReachable(), "no PostgreSQL on 127.0.0.1:5432");
    }

    @Test
    void createsAnEmptyDatabaseOfItsOwnAndDropsItWithItsOpenConnections() throws Exception {
        PostgresDatabase database = PostgresDatabase.create("harness_test");
        try (PostgresDatabase other = PostgresDatabase.create("harness_test")) {
            assertThat(database.name()).startsWith("harness_test_").isNotEqualTo(other.name());
            assertThat(database.jdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/" + database.name());
        }
        // a connection left open, as a killed process leaves one, does not keep the database alive
        Connection open = database.connect();
        try (Statement statement = open.createStatement();
                ResultSet tables = statement
                    .executeQuery("select count(*) from information_schema.tables where table_schema = 'public'")) {
            tables.next();
            assertThat(tables.getInt(1)).isZero();
        }
        assertThat(database.exists()).isTrue();

        database.close();
        database.close();

        assertThat(database.exists()).isFalse();
        assertThat(open.isValid(2)).isFalse();
    }

}
