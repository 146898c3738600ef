package io.iotgateway.testsupport;

import java.util.function.Supplier;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A {@link MosquittoBroker} for a test class as a JUnit extension: started on first use, so that a
 * {@code @DynamicPropertySource} can hand its address to the gateway before the context starts, and closed after
 * the class. Like {@link EnabledIfMosquittoInstalled}, it skips the class where mosquitto is not installed.
 * <pre>{@code
 * @RegisterExtension
 * static final MosquittoBrokerExtension broker = MosquittoBrokerExtension.of(TestDevices::brokerConfig);
 *
 * @DynamicPropertySource
 * static void gatewayProperties(DynamicPropertyRegistry registry) {
 *     registry.add("gateway.platform.endpoint", broker::uri);
 * }
 * }</pre>
 * The broker's own operations (kill, restart, its log) are here too; {@link #get()} gives the broker itself.
 * Its lifecycle is a {@link ClassResource}'s.
 */
public final class MosquittoBrokerExtension implements ExecutionCondition, BeforeAllCallback, AfterAllCallback {

    private static final MosquittoInstalledCondition INSTALLED = new MosquittoInstalledCondition();

    private final ClassResource<MosquittoBroker> broker;

    private MosquittoBrokerExtension(Supplier<MosquittoConfig> config) {
        this.broker = ClassResource.of(() -> MosquittoBroker.start(config.get()));
    }

    /** A broker with the rules {@code config} gives when it starts. */
    public static MosquittoBrokerExtension of(Supplier<MosquittoConfig> config) {
        return new MosquittoBrokerExtension(config);
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return INSTALLED.evaluateExecutionCondition(context);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        this.broker.beforeAll(context);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        this.broker.afterAll(context);
    }

    /** The broker, started now if this is its first use. */
    public MosquittoBroker get() {
        return this.broker.get();
    }

    /** See {@link MosquittoBroker#uri()}. */
    public String uri() {
        return get().uri();
    }

    public int port() {
        return get().port();
    }

    /** See {@link MosquittoBroker#log()}. */
    public String log() {
        return get().log();
    }

    /** Stops the broker gracefully (SIGTERM): it keeps its persistent sessions. */
    public void stop() {
        get().stop();
    }

    /** Kills the broker (SIGKILL), as in a crash. */
    public void kill() {
        get().kill();
    }

    /** Starts the broker again on the same port with the same files. */
    public void restart() {
        get().restart();
    }
}
