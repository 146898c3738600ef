package io.iotgateway.registry;

import java.nio.file.Path;
import java.util.Locale;

import io.iotgateway.DataDirectoryProperties;
import io.iotgateway.StartupRefusedException;

import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * A clustered replica ({@code gateway.cluster.enabled}) needs the registry database all replicas share: it refuses
 * to start on H2, whose database is one process's own, be it the default file in the data directory or any
 * {@code jdbc:h2:} URL. A bean factory post-processor, so the refusal comes before any bean is made: before the
 * data directory, the data source or Flyway are touched.
 */
final class ClusterDatabaseRule implements BeanFactoryPostProcessor {

    private static final String H2_URL = "jdbc:h2:";

    private final Environment environment;

    ClusterDatabaseRule(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        Binder binder = Binder.get(this.environment);
        // bound here, not by the cluster's own properties: this check must not wait for (or depend on) them
        boolean clustered = binder.bind("gateway.cluster.enabled", Boolean.class).orElse(false);
        String url = binder.bind("spring.datasource.url", String.class).orElse("");
        Path dataDir = binder.bindOrCreate("gateway", DataDirectoryProperties.class).dataDir();
        check(clustered, url, dataDir);
    }

    /**
     * @param clustered {@code gateway.cluster.enabled}
     * @param datasourceUrl {@code spring.datasource.url}, blank for the embedded H2 file
     * @param dataDir {@code gateway.data-dir}, where the embedded H2 file would be
     * @throws StartupRefusedException when clustered on H2
     */
    static void check(boolean clustered, String datasourceUrl, Path dataDir) {
        if (!clustered) {
            return;
        }
        String own;
        if (datasourceUrl.isBlank()) {
            own = "its own H2 file " + dataDir.toAbsolutePath().normalize().resolve("registry.mv.db");
        }
        else if (datasourceUrl.strip().toLowerCase(Locale.ROOT).startsWith(H2_URL)) {
            // H2 takes settings after ';', a PASSWORD among them: the URL up to there says which database
            own = "an H2 database of its own (spring.datasource.url=" + datasourceUrl.strip().split(";", 2)[0] + ")";
        }
        else {
            return;
        }
        throw new StartupRefusedException("Cluster mode (gateway.cluster.enabled) needs a registry database all "
                + "replicas share; this replica would use " + own + ".", "Set spring.datasource.url (and "
                        + "username/password) to the shared PostgreSQL database, e.g. "
                        + "jdbc:postgresql://db:5432/iotgateway.");
    }
}
