package io.iotgateway.security;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.util.Optional;

import io.iotgateway.GatewayApplication;
import io.iotgateway.testsupport.TestDevices;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The open local sandbox (no API clients, no platform endpoint) answers only on loopback, its management port too,
 * unless an address is configured or API clients are: whoever else can reach the machine cannot use it.
 */
@ExtendWith(OutputCaptureExtension.class)
class SandboxAddressIntegrationTests {

    private static InetAddress networkAddress;

    @BeforeAll
    static void networkAddress() throws SocketException {
        Optional<InetAddress> address = NetworkInterface.networkInterfaces()
            .filter(SandboxAddressIntegrationTests::isUp)
            .flatMap(NetworkInterface::inetAddresses)
            .filter(candidate -> candidate instanceof Inet4Address && !candidate.isLoopbackAddress())
            .findFirst();
        assumeTrue(address.isPresent(), "Skipped: the machine has no IPv4 address other than loopback");
        networkAddress = address.get();
    }

    @Test
    void sandboxListensOnLoopbackOnlyAndSaysHowToOpenIt(CapturedOutput output) {
        try (ConfigurableApplicationContext gateway = start("--management.server.port=0")) {
            int port = port(gateway, "local.server.port");
            int managementPort = port(gateway, "local.management.port");

            assertThat(reachable(InetAddress.getLoopbackAddress(), port)).isTrue();
            assertThat(reachable(networkAddress, port)).as("HTTP port on " + networkAddress).isFalse();
            assertThat(reachable(InetAddress.getLoopbackAddress(), managementPort)).isTrue();
            assertThat(reachable(networkAddress, managementPort)).as("management port on " + networkAddress)
                .isFalse();
        }
        assertThat(output).contains("LOCAL SANDBOX", "listens on 127.0.0.1 only", "server.address",
                "gateway.security.clients");
    }

    @Test
    void sandboxWithAConfiguredAddressListensThereAndWarns(CapturedOutput output) {
        try (ConfigurableApplicationContext gateway = start("--server.address=0.0.0.0")) {
            int port = port(gateway, "local.server.port");

            assertThat(reachable(networkAddress, port)).isTrue();
        }
        assertThat(output).contains("LOCAL SANDBOX", "listens on 0.0.0.0", "reachable by anyone")
            .doesNotContain("127.0.0.1 only");
    }

    @Test
    void apiClientsOpenThePortToTheNetwork(CapturedOutput output) {
        try (ConfigurableApplicationContext gateway = start("--gateway.security.clients[0].name=erp",
                "--gateway.security.clients[0].key-sha256=" + TestDevices.apiKeySha256("sandbox-address-test-key-1"),
                "--gateway.security.clients[0].roles=publisher")) {
            int port = port(gateway, "local.server.port");

            assertThat(reachable(networkAddress, port)).isTrue();
        }
        assertThat(output).doesNotContain("LOCAL SANDBOX", "127.0.0.1 only");
    }

    private static ConfigurableApplicationContext start(String... arguments) {
        String[] all = new String[arguments.length + 1];
        all[0] = "--server.port=0";
        System.arraycopy(arguments, 0, all, 1, arguments.length);
        return new SpringApplicationBuilder(GatewayApplication.class).run(all);
    }

    private static int port(ConfigurableApplicationContext gateway, String property) {
        return gateway.getEnvironment().getRequiredProperty(property, Integer.class);
    }

    private static boolean reachable(InetAddress address, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 2000);
            return true;
        }
        catch (IOException refused) {
            return false;
        }
    }

    private static boolean isUp(NetworkInterface networkInterface) {
        try {
            return networkInterface.isUp();
        }
        catch (SocketException ex) {
            return false;
        }
    }
}
