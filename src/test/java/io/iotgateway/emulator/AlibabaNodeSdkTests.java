package io.iotgateway.emulator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.iotgateway.credential.DeviceTriple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The emulator driven by a client that is not ours: Alibaba's official Node.js device SDK
 * ({@code alibabacloud-iot-device-sdk}, pointed at the emulator with its {@code brokerUrl} option) logs in signed,
 * posts properties (a valid and an out-of-range set) and an event, and asks for the time. Skipped with a reason where
 * node or the SDK is not installed; {@code .ci/run} installs the SDK with {@code npm ci} in {@value #SDK_FOLDER}.
 */
class AlibabaNodeSdkTests {

    static final String SDK_FOLDER = "src/test/node/alibaba-device-sdk";

    private static final DeviceTriple SHEEP = new DeviceTriple("a61QmwQD5ZF", "mosheep", "f00dfeedf00dfeedf00dfeed");

    private static final Duration RUN_LIMIT = Duration.ofSeconds(30);

    private PlatformEmulator emulator;

    @BeforeEach
    void startEmulator() {
        this.emulator = TestEmulator.start(SHEEP);
    }

    @AfterEach
    void stopEmulator() {
        this.emulator.stop();
    }

    @Test
    void theSdkLogsInPostsAndGetsThePlatformsRepliesAndTheTime() throws Exception {
        Path folder = Path.of(SDK_FOLDER);
        assumeTrue(nodeRuns(), "node is not installed: the Alibaba Node.js SDK test is skipped");
        assumeTrue(Files.isDirectory(folder.resolve("node_modules/alibabacloud-iot-device-sdk")),
                "the Alibaba Node.js SDK is not installed: run 'npm ci --ignore-scripts' in " + SDK_FOLDER
                        + " (.ci/run does)");
        long before = System.currentTimeMillis();

        JsonNode results = run(folder);

        assertThat(results.path("connected").asBoolean()).isTrue();
        assertThat(results.path("validProps").path("code").asInt()).isEqualTo(200);
        assertThat(results.path("invalidProps").path("code").asInt()).isEqualTo(460);
        assertThat(results.path("invalidProps").path("message").asString()).contains("temperature", "-40..120");
        assertThat(results.path("event").path("code").asInt()).isEqualTo(200);
        long serverRecvTime = Long.parseLong(results.path("ntp").path("serverRecvTime").asString());
        assertThat(serverRecvTime).isBetween(before, System.currentTimeMillis());
        assertThat(this.emulator.inbox().refusedConnects()).isZero();
        assertThat(this.emulator.inbox().refusedPublishes()).isZero();
    }

    private JsonNode run(Path folder) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("node", "drive-emulator.js").directory(folder.toFile())
            .redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().putAll(Map.of("EMULATOR_URL", "mqtt://" + this.emulator.host() + ":"
                + this.emulator.port(), "PRODUCT_KEY", SHEEP.id().productKey(), "DEVICE_NAME",
                SHEEP.id().deviceName(), "DEVICE_SECRET", SHEEP.deviceSecret()));
        Process node = builder.start();
        try {
            boolean exited = node.waitFor(RUN_LIMIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(exited).as("the SDK run ends within " + RUN_LIMIT).isTrue();
            String out = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertThat(node.exitValue()).as("the SDK run's exit code; it printed: " + out).isZero();
            String last = out.lines().reduce((first, second) -> second).orElse("{}");
            return JsonMapper.builder().build().readTree(last);
        }
        finally {
            node.destroyForcibly();
        }
    }

    private static boolean nodeRuns() {
        try {
            Process version = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            version.getInputStream().readAllBytes();
            return version.waitFor(10, TimeUnit.SECONDS) && version.exitValue() == 0;
        }
        catch (IOException ex) {
            return false;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
