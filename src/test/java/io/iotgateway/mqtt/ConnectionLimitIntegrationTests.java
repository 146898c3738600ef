package io.iotgateway.mqtt;

import io.iotgateway.credential.DeviceId;
import io.iotgateway.testsupport.GatewayHttpClient;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * At its connection limit the pool closes the least recently used idle connection to open a new one; the closed
 * device reconnects on its next message.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestPropertySource(properties = { "gateway.mqtt.max-connections=2", "gateway.emulator.demo-device.enabled=false",
        "gateway.devices[0].product-key=a61QmwQD5ZF", "gateway.devices[0].device-name=ewe1",
        "gateway.devices[0].device-secret=ewe-secret-1", "gateway.devices[1].product-key=a61QmwQD5ZF",
        "gateway.devices[1].device-name=ewe2", "gateway.devices[1].device-secret=ewe-secret-2",
        "gateway.devices[2].product-key=a61QmwQD5ZF", "gateway.devices[2].device-name=ewe3",
        "gateway.devices[2].device-secret=ewe-secret-3" })
class ConnectionLimitIntegrationTests {

    @LocalServerPort
    int port;

    @Autowired
    DevicePublisher publisher;

    @Test
    void leastRecentlyUsedConnectionMakesRoomAndReconnectsOnDemand() throws Exception {
        assertThat(post("ewe1")).isEqualTo(200);
        assertThat(post("ewe2")).isEqualTo(200);

        assertThat(post("ewe3")).isEqualTo(200);

        assertThat(this.publisher.status(new DeviceId("a61QmwQD5ZF", "ewe1")).state()).isEqualTo(ConnectionState.IDLE);
        assertThat(this.publisher.statuses()).hasSize(2);
        assertThat(post("ewe1")).isEqualTo(200);
        assertThat(this.publisher.status(new DeviceId("a61QmwQD5ZF", "ewe2")).state()).isEqualTo(ConnectionState.IDLE);
    }

    private int post(String deviceName) {
        return new GatewayHttpClient(this.port)
            .post("/api/v1/devices/a61QmwQD5ZF/" + deviceName + "/user/sheep", null, "baa")
            .statusCode();
    }
}
