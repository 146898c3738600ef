package io.iotgateway.testsupport;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Assumptions;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.lifecycle.Startable;
import org.testcontainers.utility.DockerImageName;

/**
 * The container twin of {@link MosquittoBroker}: a pinned {@code eclipse-mosquitto} with the same generated users,
 * ACL and settings. Use it where Docker exists, for example
 * <pre>{@code
 * @Testcontainers(disabledWithoutDocker = true)
 * class SomeIntegrationTests {
 *     @Container
 *     static MosquittoContainerSupport mosquitto = MosquittoContainerSupport.of(config);
 * }
 * }</pre>
 * The password file is hashed on the host by {@code mosquitto_passwd}; without it {@link #start()} aborts the
 * test (a skip), because the container cannot be configured.
 */
public final class MosquittoContainerSupport implements Startable {

    /** Pinned, as Spring Integration's own {@code MosquittoContainerTest} pins its image. */
    public static final DockerImageName IMAGE = DockerImageName.parse("eclipse-mosquitto:2.0.20");

    private static final int MQTT_PORT = 1883;

    private static final String CONFIG_DIR = "/mosquitto/config/";

    private final MosquittoConfig config;

    private final GenericContainer<?> container;

    private MosquittoContainerSupport(MosquittoConfig config) {
        this.config = config;
        this.container = new GenericContainer<>(IMAGE).withExposedPorts(MQTT_PORT)
            // printed once the listener is open
            .waitingFor(Wait.forLogMessage("(?s).*mosquitto version \\S+ running.*", 1))
            .withStartupTimeout(Duration.ofSeconds(60));
    }

    /** Describes the container; nothing is generated or started until {@link #start()}. */
    public static MosquittoContainerSupport of(MosquittoConfig config) {
        return new MosquittoContainerSupport(config);
    }

    /** The underlying container, to add settings before {@link #start()} or read its logs. */
    public GenericContainer<?> container() {
        return container;
    }

    public MosquittoConfig config() {
        return config;
    }

    /**
     * Generates the files, copies them into the container and starts it.
     * @throws org.opentest4j.TestAbortedException if {@code mosquitto_passwd} is not installed on the host
     */
    @Override
    public void start() {
        Assumptions.assumeTrue(MosquittoConfig.isPasswdToolInstalled(),
                "mosquitto_passwd is needed on the host to hash the container's passwords (Debian package: mosquitto)");
        // the image's entrypoint chowns /mosquitto to the user "mosquitto", so 0644 files are readable
        copy(config.mosquittoConf(MQTT_PORT, null, CONFIG_DIR + "passwd", CONFIG_DIR + "acl"), "mosquitto.conf");
        copy(config.passwordFileText(), "passwd");
        copy(config.aclFileText(), "acl");
        container.start();
    }

    @Override
    public void stop() {
        container.stop();
    }

    /** The broker's address for Paho, {@code tcp://<docker host>:<mapped port>}. */
    public String uri() {
        return "tcp://" + container.getHost() + ":" + container.getMappedPort(MQTT_PORT);
    }

    private void copy(String text, String fileName) {
        container.withCopyToContainer(
                Transferable.of(text.getBytes(StandardCharsets.UTF_8), Transferable.DEFAULT_FILE_MODE),
                CONFIG_DIR + fileName);
    }

}
