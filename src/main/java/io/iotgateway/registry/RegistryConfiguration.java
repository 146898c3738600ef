package io.iotgateway.registry;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;

import com.zaxxer.hikari.HikariDataSource;
import io.iotgateway.DataDirectory;
import io.iotgateway.DataDirectoryProperties;
import io.iotgateway.StartupRefusedException;
import io.iotgateway.credential.CredentialService;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The durable device registry: an H2 file in the data directory unless {@code spring.datasource.url} names
 * another database (PostgreSQL in production), its schema migrated by Flyway, its secrets encrypted with the
 * master key, and the credential service that layers configured devices over it.
 */
@Configuration(proxyBeanMethods = false)
class RegistryConfiguration {

    private static final Log log = LogFactory.getLog(RegistryConfiguration.class);

    private static final String EMBEDDED_DATABASE = "'${spring.datasource.url:}'.isBlank()";

    // org.h2.api.ErrorCode.DATABASE_ALREADY_OPEN_1 (H2 is only on the runtime class path)
    private static final int H2_DATABASE_ALREADY_OPEN = 90020;

    /**
     * The devices of {@code gateway.devices}, plus the emulator's demo device: they win over the registry, which
     * {@link #registryCredentialService} layers under them.
     */
    @Bean
    InMemoryCredentialService configuredDevices(DevicesProperties properties) {
        return new InMemoryCredentialService(
                properties.devices().stream().map(DevicesProperties.ConfiguredDevice::toTriple).toList());
    }

    @Bean
    @ConditionalOnExpression(EMBEDDED_DATABASE)
    @ConfigurationProperties("spring.datasource.hikari")
    HikariDataSource dataSource(DataDirectoryProperties data) {
        Path directory = DataDirectory.prepare(data.dataDir());
        // DB_CLOSE_ON_EXIT=FALSE: the context closes the pool after the graceful shutdown, not H2's shutdown hook
        String url = "jdbc:h2:file:" + directory.resolve("registry") + ";DB_CLOSE_ON_EXIT=FALSE";
        openOnce(url, directory);
        // a new database file was made with the process's umask
        DataDirectory.closeFiles(directory);
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(url);
        dataSource.setUsername("sa");
        dataSource.setPoolName("registry");
        return dataSource;
    }

    // H2 allows one process per database file: say so in words, not as a bare lock error, when it is taken
    private static void openOnce(String url, Path directory) {
        try (Connection connection = DriverManager.getConnection(url, "sa", "")) {
            connection.isValid(1);
        }
        catch (SQLException ex) {
            if (ex.getErrorCode() == H2_DATABASE_ALREADY_OPEN) {
                throw new StartupRefusedException("The registry database in " + directory + " is in use by another "
                        + "process.", "Give each gateway its own gateway.data-dir, or share a PostgreSQL database "
                        + "(spring.datasource.url) between them.", ex);
            }
            throw new IllegalStateException("Cannot open the registry database in " + directory, ex);
        }
    }

    @Bean
    SecretCipher secretCipher(RegistryProperties registry, DataDirectoryProperties data, Environment environment) {
        boolean required = registry.requireMasterKey() || environment.matchesProfiles("production");
        boolean embedded = environment.getProperty("spring.datasource.url", "").isBlank();
        return new MasterKeyLoader(registry, data.dataDir()).load(required, embedded);
    }

    /** Checks the master keys against the stored secrets before anything else can read them. */
    @Bean
    JdbcDeviceStore jdbcDeviceStore(JdbcClient jdbc, SecretCipher cipher) {
        JdbcDeviceStore store = new JdbcDeviceStore(jdbc);
        MasterKeyCheck.verify(store, cipher);
        return store;
    }

    // primary: the in-memory configured devices are a CredentialService too, and only this one sees both
    @Bean
    @Primary
    RegistryCredentialService registryCredentialService(InMemoryCredentialService configured, JdbcDeviceStore store,
            SecretCipher cipher, RegistryProperties registry) {
        configured.deviceIds().stream().filter(id -> store.find(id).isPresent()).forEach(id -> log.warn("Device " + id
                + " is both in gateway.devices and in the registry; the configuration wins. Remove it from one."));
        return new RegistryCredentialService(configured, store, cipher, registry.knownDeviceTtl());
    }

    @Bean
    DeviceRegistry deviceRegistry(JdbcDeviceStore store, SecretCipher cipher, InMemoryCredentialService configured,
            PlatformTransactionManager transactionManager, ApplicationEventPublisher events, Clock clock) {
        return new DeviceRegistry(store, cipher, configured, new TransactionTemplate(transactionManager), events,
                clock);
    }

    @Bean
    DeviceImporter deviceImporter(DeviceRegistry registry) {
        return new DeviceImporter(registry);
    }

    @Bean
    KeyRotation keyRotation(JdbcDeviceStore store, SecretCipher cipher) {
        return new KeyRotation(store, cipher);
    }
}
