package io.iotgateway.registry;

import java.io.IOException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * {@link RegistryScenario} on a PostgreSQL container, where Docker runs (skipped otherwise).
 */
@Testcontainers(disabledWithoutDocker = true)
class DeviceRegistryContainerTests extends RegistryScenario {

    @Container
    static final PostgreSQLContainer postgres = new PostgreSQLContainer("postgres:15-alpine");

    private static RegistryDatabase database;

    @BeforeAll
    static void open() throws IOException {
        database = RegistryDatabase.postgres("PostgreSQL container", postgres.getJdbcUrl(), postgres.getUsername(),
                postgres.getPassword());
        database.open();
    }

    @AfterAll
    static void close() {
        database.close();
    }

    @Override
    RegistryDatabase database() {
        return database;
    }
}
