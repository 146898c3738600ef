package io.iotgateway.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

class FaultProxyTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    /** Against a server that echoes every byte, so each fault shows in what one socket reads back. */
    @Nested
    class WithEchoServer {

        private EchoServer echo;

        private FaultProxy proxy;

        @BeforeEach
        void start() throws IOException {
            this.echo = new EchoServer();
            this.proxy = FaultProxy.start("127.0.0.1", this.echo.port());
        }

        @AfterEach
        void stop() {
            this.proxy.close();
            this.echo.close();
        }

        @Test
        void passThroughForwardsBothWaysAndCounts() throws IOException {
            try (Socket socket = connect()) {
                assertThat(roundTrip(socket, "hello")).isEqualTo("hello");
            }

            assertThat(this.proxy.bytesToUpstream()).isEqualTo(5);
            assertThat(this.proxy.bytesToClients()).isEqualTo(5);
            assertThat(this.proxy.bytesDropped()).isZero();
            assertThat(this.proxy.connectionsAccepted()).isEqualTo(1);
            await().atMost(TIMEOUT).until(() -> this.proxy.openConnections() == 0);
        }

        @Test
        void blackHoleKeepsSocketsOpenAndDropsEveryByteUntilHealed() throws IOException {
            try (Socket before = connect()) {
                assertThat(roundTrip(before, "ping")).isEqualTo("ping");

                this.proxy.blackHole();
                write(before, "lost");
                try (Socket during = connect()) {
                    write(during, "lost too");
                    assertNothingArrives(before);
                    assertNothingArrives(during);
                    assertThat(this.proxy.connectionsAccepted()).isEqualTo(2);
                    assertThat(this.proxy.openConnections()).isEqualTo(2);
                    assertThat(this.echo.connections()).isEqualTo(2);
                }
                await().atMost(TIMEOUT).until(() -> this.proxy.bytesDropped() == "lostlost too".length());
                // the client side closed inside the black hole: the server has not heard of it
                assertThat(this.echo.openConnections()).isEqualTo(2);

                this.proxy.heal();
                assertThat(roundTrip(before, "back")).isEqualTo("back");
                await().atMost(TIMEOUT).until(() -> this.echo.openConnections() == 1);
            }
            assertThat(this.proxy.bytesToUpstream()).isEqualTo("pingback".length());
        }

        @Test
        void blackHoleHidesAServerThatClosesUntilHealed() throws IOException {
            try (Socket socket = connect()) {
                roundTrip(socket, "x");
                this.proxy.blackHole();

                this.echo.closeConnections();

                assertNothingArrives(socket);
                this.proxy.heal();
                socket.setSoTimeout((int) TIMEOUT.toMillis());
                assertThatEndOfStreamOrReset(socket);
            }
        }

        @Test
        void delayHoldsEveryChunkEachWayUntilHealed() throws IOException {
            Duration delay = Duration.ofMillis(300);
            try (Socket socket = connect()) {
                this.proxy.delay(delay);
                long start = System.nanoTime();
                assertThat(roundTrip(socket, "slow")).isEqualTo("slow");
                Duration slow = Duration.ofNanos(System.nanoTime() - start);

                this.proxy.heal();
                start = System.nanoTime();
                assertThat(roundTrip(socket, "fast")).isEqualTo("fast");
                Duration fast = Duration.ofNanos(System.nanoTime() - start);

                assertThat(slow).isGreaterThanOrEqualTo(delay.multipliedBy(2));
                assertThat(fast).isLessThan(delay);
            }
        }

        @Test
        void dropConnectionsResetsOpenOnesAndLetsNewOnesThrough() throws IOException {
            try (Socket socket = connect()) {
                roundTrip(socket, "x");

                this.proxy.dropConnections();

                socket.setSoTimeout((int) TIMEOUT.toMillis());
                assertThatEndOfStreamOrReset(socket);
                await().atMost(TIMEOUT).until(() -> this.echo.openConnections() == 0);
            }
            try (Socket again = connect()) {
                assertThat(roundTrip(again, "y")).isEqualTo("y");
            }
        }

        @Test
        void refuseRefusesNewConnectionsKeepsOpenOnesAndHealListensOnTheSamePort() throws IOException {
            try (Socket open = connect()) {
                // connected means in the listener's backlog; closing it resets what the proxy has not accepted yet
                await().atMost(TIMEOUT).until(() -> this.proxy.openConnections() == 1);
                this.proxy.refuse();

                assertThatExceptionOfType(ConnectException.class).isThrownBy(this::connect);
                assertThat(roundTrip(open, "still")).isEqualTo("still");

                this.proxy.heal();
                try (Socket again = connect()) {
                    assertThat(roundTrip(again, "again")).isEqualTo("again");
                }
            }
            assertThat(this.proxy.connectionsAccepted()).isEqualTo(2);
        }

        @Test
        void closeReleasesThePortAndEveryConnection() throws IOException {
            Socket socket = connect();
            try (socket) {
                roundTrip(socket, "x");

                this.proxy.close();

                assertThatExceptionOfType(ConnectException.class).isThrownBy(this::connect);
                assertThat(this.proxy.openConnections()).isZero();
                socket.setSoTimeout((int) TIMEOUT.toMillis());
                assertThatEndOfStreamOrReset(socket);
                await().atMost(TIMEOUT).until(() -> this.echo.openConnections() == 0);
            }
        }

        private Socket connect() throws IOException {
            Socket socket = new Socket();
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.proxy.port()), 2000);
            socket.setTcpNoDelay(true);
            return socket;
        }
    }

    /** A real MQTT client through the proxy to a real mosquitto: what Paho makes of each fault. */
    @Nested
    @EnabledIfMosquittoInstalled
    class WithMosquitto {

        private MosquittoBroker broker;

        private FaultProxy proxy;

        private final Set<MqttAsyncClient> clients = ConcurrentHashMap.newKeySet();

        @BeforeEach
        void start() {
            this.broker = MosquittoBroker.start(MosquittoConfig.anonymous());
            this.proxy = FaultProxy.start("127.0.0.1", this.broker.port());
        }

        @AfterEach
        void stop() {
            this.clients.forEach(FaultProxyTests::closeForcibly);
            this.proxy.close();
            this.broker.close();
        }

        @Test
        void publishReachesASubscriberThroughTheProxy() throws Exception {
            CountDownLatch received = new CountDownLatch(1);
            MqttAsyncClient subscriber = connect("subscriber", 60, new LossRecorder() {
                @Override
                public void messageArrived(String topic, MqttMessage message) {
                    received.countDown();
                }
            });
            subscriber.subscribe("t/#", 1).waitForCompletion(TIMEOUT.toMillis());
            MqttAsyncClient publisher = connect("publisher", 60, new LossRecorder());

            publisher.publish("t/1", "baa".getBytes(StandardCharsets.UTF_8), 1, false)
                .waitForCompletion(TIMEOUT.toMillis());

            assertThat(received.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
            assertThat(this.proxy.connectionsAccepted()).isEqualTo(2);
            assertThat(this.proxy.bytesToUpstream()).isPositive();
            assertThat(this.proxy.bytesToClients()).isPositive();
        }

        /**
         * Verifies that a black hole looks to Paho like a broker that stopped answering, not like a lost
         * connection: the PUBACK never comes and the client still says it is connected.
         */
        @Test
        void blackHoleMakesPublishTimeOutWhileTheClientStillThinksItIsConnected() throws Exception {
            MqttAsyncClient client = connect("partitioned", 60, new LossRecorder());
            this.proxy.blackHole();

            IMqttDeliveryToken lost = client.publish("t/1", new byte[] { 1 }, 1, false);

            assertThatExceptionOfType(MqttException.class).isThrownBy(() -> lost.waitForCompletion(1000))
                .extracting(MqttException::getReasonCode)
                .isEqualTo((int) MqttException.REASON_CODE_CLIENT_TIMEOUT);
            assertThat(client.isConnected()).isTrue();
            assertThat(this.proxy.bytesDropped()).isPositive();

            this.proxy.heal();
            client.publish("t/2", new byte[] { 2 }, 1, false).waitForCompletion(TIMEOUT.toMillis());
            assertThat(lost.isComplete()).isFalse();
        }

        @Test
        void blackHoleIsDetectedOnlyByTheClientsOwnKeepAlive() throws Exception {
            LossRecorder losses = new LossRecorder();
            connect("keepalive", 1, losses);

            this.proxy.blackHole();

            // Paho gives up when a PINGREQ gets no answer within the keep-alive: about 2 s after the last packet
            await().atMost(TIMEOUT).until(() -> losses.cause != null);
            assertThat(losses.cause).isInstanceOf(MqttException.class)
                .extracting(cause -> ((MqttException) cause).getReasonCode())
                .isEqualTo((int) MqttException.REASON_CODE_CLIENT_TIMEOUT);
        }

        @Test
        void dropConnectionsIsALostConnectionAndTheClientCanReconnect() throws Exception {
            LossRecorder losses = new LossRecorder();
            MqttAsyncClient client = connect("dropped", 60, losses);

            this.proxy.dropConnections();

            await().atMost(TIMEOUT).until(() -> losses.cause != null);
            assertThat(client.isConnected()).isFalse();
            client.connect(options(60)).waitForCompletion(TIMEOUT.toMillis());
            assertThat(client.isConnected()).isTrue();
        }

        @Test
        void refuseFailsTheConnectUntilHealed() throws Exception {
            this.proxy.refuse();

            assertThatExceptionOfType(MqttException.class).isThrownBy(() -> connect("refused", 60, new LossRecorder()))
                .extracting(MqttException::getReasonCode)
                .isEqualTo((int) MqttException.REASON_CODE_SERVER_CONNECT_ERROR);

            this.proxy.heal();
            assertThat(connect("accepted", 60, new LossRecorder()).isConnected()).isTrue();
        }

        private MqttAsyncClient connect(String clientId, int keepAliveSeconds, MqttCallback callback)
                throws MqttException {
            MqttAsyncClient client = new MqttAsyncClient(this.proxy.uri(), clientId, new MemoryPersistence());
            this.clients.add(client);
            client.setCallback(callback);
            IMqttToken connect = client.connect(options(keepAliveSeconds));
            connect.waitForCompletion(TIMEOUT.toMillis());
            return client;
        }

        private static MqttConnectOptions options(int keepAliveSeconds) {
            MqttConnectOptions options = new MqttConnectOptions();
            options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
            options.setKeepAliveInterval(keepAliveSeconds);
            options.setConnectionTimeout(2);
            options.setAutomaticReconnect(false);
            return options;
        }
    }

    private static String roundTrip(Socket socket, String text) throws IOException {
        write(socket, text);
        socket.setSoTimeout((int) TIMEOUT.toMillis());
        byte[] answer = socket.getInputStream().readNBytes(text.length());
        return new String(answer, StandardCharsets.UTF_8);
    }

    private static void write(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        socket.getOutputStream().flush();
    }

    /** Nothing to read within half a second, and the connection is still open. */
    private static void assertNothingArrives(Socket socket) throws IOException {
        socket.setSoTimeout(500);
        assertThatExceptionOfType(SocketTimeoutException.class).isThrownBy(() -> socket.getInputStream().read());
        assertThat(socket.isClosed()).isFalse();
    }

    private static void assertThatEndOfStreamOrReset(Socket socket) {
        int read;
        try {
            read = socket.getInputStream().read();
        }
        catch (SocketException ex) {
            // "Connection reset": the proxy sent RST
            return;
        }
        catch (IOException ex) {
            throw new AssertionError("Expected the end of the stream or a reset, got " + ex, ex);
        }
        assertThat(read).as("end of stream").isEqualTo(-1);
    }

    private static void closeForcibly(MqttAsyncClient client) {
        try {
            client.disconnectForcibly(0, 0, false);
        }
        catch (MqttException ex) {
            // not connected
        }
        try {
            client.close(true);
        }
        catch (MqttException ex) {
            // closed already
        }
    }

    /** Keeps the cause of a lost connection. */
    private static class LossRecorder implements MqttCallback {

        volatile @Nullable Throwable cause;

        @Override
        public void connectionLost(Throwable cause) {
            this.cause = cause;
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            // only the subscriber of the first test cares
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
            // the tests wait on their tokens
        }
    }

    /** Echoes every byte on every connection; counts connections and keeps the open ones to close them. */
    private static final class EchoServer implements AutoCloseable {

        private final ServerSocket server;

        private final Set<Socket> open = ConcurrentHashMap.newKeySet();

        private volatile int connections;

        EchoServer() throws IOException {
            this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread.ofVirtual().name("echo-accept").start(this::acceptLoop);
        }

        int port() {
            return this.server.getLocalPort();
        }

        int connections() {
            return this.connections;
        }

        int openConnections() {
            return this.open.size();
        }

        void closeConnections() {
            this.open.forEach(EchoServer::closeQuietly);
        }

        @Override
        public void close() {
            closeQuietly(this.server);
            closeConnections();
        }

        private void acceptLoop() {
            while (!this.server.isClosed()) {
                try {
                    Socket socket = this.server.accept();
                    this.open.add(socket);
                    this.connections++;
                    Thread.ofVirtual().name("echo-" + socket.getPort()).start(() -> echo(socket));
                }
                catch (IOException ex) {
                    // closed by close()
                }
            }
        }

        private void echo(Socket socket) {
            try (socket; InputStream in = socket.getInputStream()) {
                in.transferTo(socket.getOutputStream());
            }
            catch (IOException ex) {
                // the peer reset, or close() closed it
            }
            finally {
                this.open.remove(socket);
            }
        }

        private static void closeQuietly(AutoCloseable closeable) {
            try {
                closeable.close();
            }
            catch (Exception ex) {
                // already closed
            }
        }
    }
}
