package io.iotgateway.message;

import io.iotgateway.testsupport.MosquittoContainerSupport;
import io.iotgateway.testsupport.TestDevices;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The publish scenario against an {@code eclipse-mosquitto} container with the same users and ACL. Skipped where
 * no Docker engine runs; {@link MosquittoPublishIntegrationTests} runs the same scenario against a local process.
 */
@Testcontainers(disabledWithoutDocker = true)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(TestDevices.FixedTimestampSigning.class)
class ContainerPublishIntegrationTests extends PublishScenario {

    @Container
    static final MosquittoContainerSupport BROKER = MosquittoContainerSupport.of(TestDevices.brokerConfig());

    @DynamicPropertySource
    static void gatewayProperties(DynamicPropertyRegistry registry) {
        registry.add("gateway.platform.endpoint", BROKER::uri);
        TestDevices.register(registry);
    }

    @Override
    String brokerUri() {
        return BROKER.uri();
    }
}
