package io.iotgateway.registry;

import java.time.Clock;

import com.zaxxer.hikari.HikariDataSource;
import io.iotgateway.DataDirectoryProperties;
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
 * another database (PostgreSQL in production, and for a cluster), its schema migrated by Flyway, its secrets
 * encrypted with the master key, and the credential service that layers configured devices over it.
 */
@Configuration(proxyBeanMethods = false)
class RegistryConfiguration {

    private static final Log log = LogFactory.getLog(RegistryConfiguration.class);

    private static final String EMBEDDED_DATABASE = "'${spring.datasource.url:}'.isBlank()";

    /**
     * The devices of {@code gateway.devices}, plus the emulator's demo device: they win over the registry, which
     * {@link #registryCredentialService} layers under them.
     */
    @Bean
    InMemoryCredentialService configuredDevices(DevicesProperties properties) {
        return new InMemoryCredentialService(
                properties.devices().stream().map(DevicesProperties.ConfiguredDevice::toTriple).toList());
    }

    /** Refuses a clustered replica on H2, before any bean (the data source, Flyway) is made. */
    @Bean
    static ClusterDatabaseRule clusterDatabaseRule(Environment environment) {
        return new ClusterDatabaseRule(environment);
    }

    /** The H2 file in the data directory, held open (and locked against other processes) until the pool closes. */
    @Bean
    @ConditionalOnExpression(EMBEDDED_DATABASE)
    EmbeddedRegistryFile embeddedRegistryFile(DataDirectoryProperties data) {
        return EmbeddedRegistryFile.open(data.dataDir());
    }

    // depends on the file: the context closes the pool first, then the file's own connection
    @Bean
    @ConditionalOnExpression(EMBEDDED_DATABASE)
    @ConfigurationProperties("spring.datasource.hikari")
    HikariDataSource dataSource(EmbeddedRegistryFile file) {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(file.url());
        dataSource.setUsername("sa");
        dataSource.setPoolName("registry");
        return dataSource;
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
