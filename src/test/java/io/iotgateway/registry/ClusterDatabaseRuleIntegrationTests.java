package io.iotgateway.registry;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

import io.iotgateway.GatewayApplication;
import io.iotgateway.testsupport.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import static io.iotgateway.testsupport.StartupRefusals.assertRefusedInOneLine;
import static io.iotgateway.testsupport.StartupRefusals.start;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The whole application with {@code gateway.cluster.enabled=true}: on the H2 default, or an H2 URL, it refuses to
 * start in one line before it touches the data directory or any database; on PostgreSQL it gets past the rule and
 * migrates the shared database.
 */
@ExtendWith(OutputCaptureExtension.class)
class ClusterDatabaseRuleIntegrationTests {

    private static final String MASTER_KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

    private static final String REFUSAL = "Cluster mode (gateway.cluster.enabled) needs a registry database all "
            + "replicas share";

    @TempDir
    Path parent;

    @Test
    void clusteredReplicaOnTheDefaultH2FileRefusesBeforeItMakesTheDataDirectory(CapturedOutput output) {
        Path dataDir = this.parent.resolve("data");

        assertThatException().isThrownBy(() -> start("--gateway.cluster.enabled=true",
                "--gateway.data-dir=" + dataDir));

        assertRefusedInOneLine(output, REFUSAL + "; this replica would use its own H2 file "
                + dataDir.resolve(EmbeddedRegistryFile.DATABASE_FILE) + ".");
        assertThat(actionLine(output)).isEqualTo("Set spring.datasource.url (and username/password) to the shared "
                + "PostgreSQL database, e.g. jdbc:postgresql://db:5432/iotgateway.");
        assertThat(dataDir).as("nothing opened: not even the data directory made").doesNotExist();
    }

    @Test
    void clusteredReplicaOnAnH2UrlRefusesInOneLine(CapturedOutput output) {
        assertThatException().isThrownBy(() -> start("--gateway.cluster.enabled=true",
                "--gateway.registry.master-key=" + MASTER_KEY,
                "--spring.datasource.url=jdbc:h2:mem:clustered-replica;DB_CLOSE_DELAY=-1"));

        assertRefusedInOneLine(output, REFUSAL, "spring.datasource.url=jdbc:h2:mem:clustered-replica)");
        // kept by DB_CLOSE_DELAY=-1 had anything opened it
        assertThatExceptionOfType(SQLException.class).as("the H2 database was never opened")
            .isThrownBy(() -> DriverManager.getConnection("jdbc:h2:mem:clustered-replica;IFEXISTS=TRUE", "sa", "")
                .close());
    }

    @Test
    void clusteredReplicaOnPostgresqlGetsPastTheRuleAndMigratesTheSharedDatabase(CapturedOutput output)
            throws SQLException {
        String schema = "cluster_rule_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        String url = RegistryDatabase.LOCAL_POSTGRES + "?currentSchema=" + schema;
        try {
            // a cluster of one on loopback: the replica starts, its grid member included
            List<Integer> ports = FreePorts.distinct(2);
            new SpringApplicationBuilder(GatewayApplication.class).run("--server.port=" + ports.get(0),
                    "--gateway.cluster.enabled=true", "--gateway.cluster.port=" + ports.get(1),
                    "--gateway.cluster.address=127.0.0.1", "--gateway.cluster.name=" + schema,
                    "--gateway.data-dir=" + this.parent.resolve("data"),
                    "--gateway.registry.master-key=" + MASTER_KEY, "--spring.datasource.url=" + url,
                    "--spring.datasource.username=postgres", "--spring.flyway.schemas=" + schema)
                .close();
            assertThat(output).doesNotContain(REFUSAL);
            try (Connection connection = DriverManager.getConnection(url, "postgres", "")) {
                JdbcClient jdbc = JdbcClient.create(new SingleConnectionDataSource(connection, true));
                assertThat(jdbc.sql("select count(*) from device").query(Long.class).single())
                    .as("Flyway ran on the shared database").isZero();
            }
        }
        finally {
            try (Connection connection = DriverManager.getConnection(RegistryDatabase.LOCAL_POSTGRES, "postgres",
                    "")) {
                connection.createStatement().execute("drop schema if exists " + schema + " cascade");
            }
        }
    }

    private static String actionLine(CapturedOutput output) {
        String action = output.getAll().substring(output.getAll().lastIndexOf("Action:"));
        return action.lines().skip(2).findFirst().orElse("");
    }
}
