package io.iotgateway.registry;

import java.nio.file.Path;

import io.iotgateway.StartupRefusedException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A clustered replica needs a database all replicas share: H2, the default file or any {@code jdbc:h2:} URL, is
 * refused; PostgreSQL passes; a single replica may use anything.
 */
class ClusterDatabaseRuleTests {

    private static final Path DATA_DIR = Path.of("/var/lib/gateway/../gateway-data");

    private static final String POSTGRES = "jdbc:postgresql://db:5432/iotgateway";

    @Test
    void clusteredReplicaOnTheDefaultH2FileIsRefusedWithTheFileAndWhatToSet() {
        assertThatExceptionOfType(StartupRefusedException.class)
            .isThrownBy(() -> ClusterDatabaseRule.check(true, "", DATA_DIR))
            .withMessage("Cluster mode (gateway.cluster.enabled) needs a registry database all replicas share; this "
                    + "replica would use its own H2 file /var/lib/gateway-data/registry.mv.db.")
            .satisfies(refusal -> assertThat(refusal.action())
                .isEqualTo("Set spring.datasource.url (and username/password) to the shared PostgreSQL database, "
                        + "e.g. jdbc:postgresql://db:5432/iotgateway."));
    }

    @Test
    void blankUrlIsTheDefaultH2FileToo() {
        assertThatExceptionOfType(StartupRefusedException.class)
            .isThrownBy(() -> ClusterDatabaseRule.check(true, "  ", DATA_DIR))
            .withMessageContaining("its own H2 file /var/lib/gateway-data/registry.mv.db");
    }

    @Test
    void clusteredReplicaOnAnyH2UrlIsRefusedWithoutTheUrlsSettings() {
        for (String url : new String[] { "jdbc:h2:mem:registry;PASSWORD=not-for-the-log",
                "jdbc:h2:file:/shared/registry;PASSWORD=not-for-the-log",
                "JDBC:H2:tcp://h2.internal/registry;PASSWORD=not-for-the-log" }) {
            assertThatExceptionOfType(StartupRefusedException.class)
                .isThrownBy(() -> ClusterDatabaseRule.check(true, url, DATA_DIR))
                .withMessageContaining("gateway.cluster.enabled")
                .withMessageContaining("spring.datasource.url=" + url.substring(0, url.indexOf(';')) + ")")
                .withMessageNotContaining("not-for-the-log")
                .withMessageNotContaining("registry.mv.db");
        }
    }

    @Test
    void clusteredReplicaOnPostgresqlPasses() {
        assertThatCode(() -> ClusterDatabaseRule.check(true, POSTGRES, DATA_DIR)).doesNotThrowAnyException();
    }

    @Test
    void singleReplicaMayUseH2() {
        assertThatCode(() -> ClusterDatabaseRule.check(false, "", DATA_DIR)).doesNotThrowAnyException();
        assertThatCode(() -> ClusterDatabaseRule.check(false, "jdbc:h2:mem:registry", DATA_DIR))
            .doesNotThrowAnyException();
    }
}
