package io.iotgateway.registry;

import java.io.IOException;
import java.util.stream.Stream;

import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link RegistryScenario} on the embedded H2 and on the PostgreSQL server of the development and CI machines
 * (127.0.0.1:5432, database {@code test}, trust authentication); the PostgreSQL run is skipped where none listens.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("databases")
class DeviceRegistryTests extends RegistryScenario {

    @Parameter
    RegistryDatabase database;

    static Stream<RegistryDatabase> databases() {
        return Stream.of(RegistryDatabase.h2(), RegistryDatabase.localPostgres());
    }

    @BeforeParameterizedClassInvocation
    static void open(RegistryDatabase database) throws IOException {
        database.open();
    }

    @AfterParameterizedClassInvocation
    static void close(RegistryDatabase database) {
        database.close();
    }

    @Override
    RegistryDatabase database() {
        return this.database;
    }
}
