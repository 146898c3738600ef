package io.iotgateway.mqtt;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import io.iotgateway.mqtt.transport.DeviceLogin;
import io.iotgateway.credential.DeviceId;
import io.iotgateway.testsupport.MutableClock;
import io.iotgateway.limit.SlidingWindow;
import io.iotgateway.mqtt.transport.DeviceLogin.LoginFailedException;
import io.iotgateway.web.GatewayException;
import io.iotgateway.web.ProblemType;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.http.HttpHeaders;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHandlingException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The connection state machine on a mutable clock, with fake logins and a fake publisher: each rule of losing and
 * regaining a connection, checked in milliseconds.
 */
class DeviceConnectionTests {

    private static final DeviceId DEVICE = new DeviceId("a61QmwQD5ZF", "mosheep");

    private final MutableClock clock = new MutableClock();

    private final FakeLogins logins = new FakeLogins();

    private final FakeSupervisor supervisor = new FakeSupervisor();

    private final List<Message<?>> published = new ArrayList<>();

    private Consumer<Message<?>> handler = this.published::add;

    private final MqttProperties settings = settings(Map.of());

    // the device's, shared by each connection the pool makes for it
    private final DeviceSubscriptions subscriptions = new DeviceSubscriptions(DEVICE, 5_000);

    private final DeviceConnection connection = connection(this.settings);

    @Test
    void theFirstMessageLogsInAndPublishes() {
        assertThat(this.connection.state()).isEqualTo(ConnectionState.IDLE);

        assertThat(publish()).isTrue();

        assertThat(this.logins.opened).hasSize(1);
        assertThat(this.published).hasSize(1);
        assertThat(this.connection.status().state()).isEqualTo(ConnectionState.CONNECTED);
        assertThat(this.connection.status().lastPublishedAt()).isEqualTo(this.clock.instant());
    }

    @Test
    void aLossIsTheStateAtOnceAndRequestsGetAFast503WithoutALogin() {
        publish();
        FakeLogin first = this.logins.last();

        first.lose();

        assertThat(this.connection.state()).isEqualTo(ConnectionState.DISCONNECTED);
        assertThat(this.supervisor.classifications).containsExactly(DeviceConnection.LOSS_SETTLE);
        assertProblem(this::publish, ProblemType.PLATFORM_UNAVAILABLE, 1);
        assertThat(this.logins.opened).hasSize(1);
        assertThat(this.logins.forgotten).containsExactly(first);
    }

    @Test
    void aLossWhileAnotherDeviceStayedConnectedIsAKickAndTheDeviceStaysAway() {
        publish();
        this.clock.advance(Duration.ofMinutes(5));
        this.logins.last().lose();
        this.supervisor.othersConnected = true;
        this.clock.advance(DeviceConnection.LOSS_SETTLE);

        this.connection.classifyLoss();

        ConnectionStatus status = this.connection.status();
        assertThat(status.state()).isEqualTo(ConnectionState.FAILED);
        assertThat(status.lastProblem()).isEqualTo(ProblemType.DEVICE_KICKED);
        assertThat(status.retryAt()).isEqualTo(this.clock.instant().plus(this.settings.kickBackoff()));
        // no login in the background: it would kick the other client back
        assertThat(this.supervisor.backgroundConnects).isEmpty();
        assertProblem(this::publish, ProblemType.DEVICE_KICKED, 30);
        assertThat(this.logins.opened).hasSize(1);

        // after the pause a request logs in again
        this.clock.advance(this.settings.kickBackoff());
        assertThat(publish()).isTrue();
        assertThat(this.logins.opened).hasSize(2);
    }

    @Test
    void kicksSoonAfterEachOtherDoubleThePause() {
        publish();
        kick();
        this.clock.advance(this.settings.kickBackoff());
        publish();
        this.clock.advance(Duration.ofSeconds(5));

        kick();

        assertThat(this.connection.status().retryAt())
            .isEqualTo(this.clock.instant().plus(this.settings.kickBackoff().multipliedBy(2)));
    }

    @Test
    void aWarmLoginThatIsKickedIsClassifiedLikeAUsedOne() {
        this.connection.connectInBackground();
        assertThat(this.connection.state()).isEqualTo(ConnectionState.CONNECTED);
        assertThat(this.published).isEmpty();

        kick();

        assertThat(this.connection.status().lastProblem()).isEqualTo(ProblemType.DEVICE_KICKED);
        assertProblem(this::publish, ProblemType.DEVICE_KICKED, 30);
    }

    @Test
    void aSubscriptionIsMadeOnceAndEveryLaterLoginIsSubscribedBeforeAnythingUsesIt() {
        String filter = "/sys/a61QmwQD5ZF/mosheep/thing/event/+/post_reply";
        List<String> arrived = new ArrayList<>();
        InboundListener listener = this.connection.subscribe(filter, InboundListener.class,
                () -> (topic, payload) -> arrived.add(topic));
        InboundListener again = this.connection.subscribe(filter, InboundListener.class, () -> (topic, payload) -> {
            throw new AssertionError("a second listener for the same filter");
        });
        FakeLogin first = this.logins.last();
        assertThat(again).isSameAs(listener);
        assertThat(first.subscribes).containsExactly(List.of(filter));

        // an outage after a long connection: logged in again in the background at once
        this.clock.advance(Duration.ofMinutes(5));
        first.lose();
        this.clock.advance(DeviceConnection.LOSS_SETTLE);
        this.connection.classifyLoss();
        this.connection.connectInBackground();

        FakeLogin second = this.logins.last();
        assertThat(second).isNotSameAs(first);
        assertThat(second.subscribes).as("restored by the login itself, before any request").containsExactly(
                List.of(filter));
        assertThat(publish()).isTrue();
        assertThat(this.connection.subscribe(filter, InboundListener.class, () -> listener)).isSameAs(listener);
        assertThat(second.subscribes).as("no second SUBSCRIBE on the same login").hasSize(1);
        second.arrivals.arrived("/sys/a61QmwQD5ZF/mosheep/thing/event/overheat/post_reply", new byte[0]);
        second.arrivals.arrived("/a61QmwQD5ZF/mosheep/user/get", new byte[0]);
        assertThat(arrived).containsExactly("/sys/a61QmwQD5ZF/mosheep/thing/event/overheat/post_reply");
    }

    @Test
    void aConnectionThatReplacesAnotherRestoresTheDevicesSubscriptionsWithTheirListenerAndWaitsForItsReplies() {
        String filter = "/sys/a61QmwQD5ZF/mosheep/thing/event/+/post_reply";
        AtomicBoolean waiting = new AtomicBoolean();
        InboundListener listener = this.connection.subscribe(filter, InboundListener.class, () -> new InboundListener() {

            @Override
            public void messageArrived(String topic, byte[] payload) {
                waiting.set(false);
            }

            @Override
            public boolean awaitsMessages() {
                return waiting.get();
            }
        });
        assertThat(this.connection.awaitsMessages()).isFalse();
        waiting.set(true);
        assertThat(this.connection.awaitsMessages()).as("a reply awaited: in use, not idle").isTrue();
        this.connection.close();

        // the pool's next connection for the device (after an idle close, an eviction or a new secret)
        DeviceConnection next = connection(this.settings);
        next.connectInBackground();
        assertThat(this.logins.last().subscribes).as("restored by its first login").containsExactly(List.of(filter));
        assertThat(next.subscribe(filter, InboundListener.class, () -> (topic, payload) -> {
            throw new AssertionError("a second listener for the same filter");
        })).isSameAs(listener);
        this.logins.last().arrivals.arrived("/sys/a61QmwQD5ZF/mosheep/thing/event/property/post_reply", new byte[0]);
        assertThat(next.awaitsMessages()).isFalse();
    }

    @Test
    void aSubscriptionRememberedForEveryLoginIsMadeByTheFirstLoginBeforeAnyRequest() {
        String filter = "/sys/a61QmwQD5ZF/mosheep/thing/event/+/post_reply";
        InboundListener standing = (topic, payload) -> {
        };
        this.subscriptions.remember(filter, standing);

        this.connection.connectInBackground();

        assertThat(this.logins.last().subscribes).containsExactly(List.of(filter));
        assertThat(this.connection.subscribe(filter, InboundListener.class, () -> (topic, payload) -> {
            throw new AssertionError("a second listener for the same filter");
        })).isSameAs(standing);
        assertThat(this.logins.last().subscribes).as("no second SUBSCRIBE").hasSize(1);
    }

    @Test
    void aRefusedSubscriptionIsA502AndAFailedOneA503() {
        this.connection.connectInBackground();
        this.logins.last().refuseSubscriptions = MqttException.REASON_CODE_SUBSCRIBE_FAILED;
        assertThatExceptionOfType(GatewayException.class)
            .isThrownBy(() -> this.connection.subscribe("/sys/a/b/thing/event/+/post_reply", InboundListener.class,
                    () -> (topic, payload) -> {
                    }))
            .satisfies(ex -> assertThat(ex.problemType()).isEqualTo(ProblemType.SUBSCRIPTION_REFUSED));
        this.logins.last().refuseSubscriptions = MqttException.REASON_CODE_CLIENT_TIMEOUT;
        assertProblem(() -> this.connection.subscribe("/sys/a/b/thing/event/+/post_reply", InboundListener.class,
                () -> (topic, payload) -> {
                }), ProblemType.PLATFORM_UNAVAILABLE, 1);
    }

    @Test
    void aDeviceThatNeverSubscribedSendsNoSubscribe() {
        this.connection.connectInBackground();
        publish();

        assertThat(this.logins.last().subscribes).isEmpty();
    }

    @Test
    void anOutageAfterALongConnectionReconnectsInTheBackgroundAtOnce() {
        publish();
        this.clock.advance(Duration.ofMinutes(5));
        this.logins.last().lose();
        this.clock.advance(DeviceConnection.LOSS_SETTLE);

        this.connection.classifyLoss();

        assertThat(this.supervisor.backgroundConnects).containsExactly(Duration.ZERO);
        assertThat(this.connection.state()).isEqualTo(ConnectionState.DISCONNECTED);
        this.connection.connectInBackground();
        assertThat(this.connection.state()).isEqualTo(ConnectionState.CONNECTED);
        assertThat(this.logins.opened).hasSize(2);
        assertThat(this.connection.status().lastProblem()).isNull();
    }

    @Test
    void aConnectionThatDropsSoonAfterItOpenedBacksOff() {
        publish();
        this.clock.advance(Duration.ofSeconds(2));
        this.logins.last().lose();
        this.clock.advance(DeviceConnection.LOSS_SETTLE);

        this.connection.classifyLoss();

        Duration wait = this.supervisor.backgroundConnects.getLast();
        assertThat(wait).isBetween(Duration.ofSeconds(1), Duration.ofMillis(1200));
        assertThat(this.connection.state()).isEqualTo(ConnectionState.FAILED);
        assertProblem(this::publish, ProblemType.PLATFORM_UNAVAILABLE, 1, 2);
    }

    @Test
    void anUnreachablePlatformBacksOffExponentiallyInTheBackground() {
        this.logins.failNext(MqttException.REASON_CODE_SERVER_CONNECT_ERROR, true);
        assertProblem(this::publish, ProblemType.PLATFORM_UNAVAILABLE, 1, 2);
        Duration first = this.supervisor.backgroundConnects.getLast();
        this.clock.advance(first);

        this.logins.failNext(MqttException.REASON_CODE_SERVER_CONNECT_ERROR, true);
        this.connection.connectInBackground();

        Duration second = this.supervisor.backgroundConnects.getLast();
        assertThat(first).isBetween(Duration.ofSeconds(1), Duration.ofMillis(1200));
        assertThat(second).isBetween(Duration.ofMillis(1600), Duration.ofMillis(2400));
        assertThat(this.connection.status().retryAt()).isEqualTo(this.clock.instant().plus(second));
    }

    @Test
    void refusedCredentialsWaitTheirPauseAndAreNotRetriedInTheBackground() {
        this.logins.failNext(MqttException.REASON_CODE_FAILED_AUTHENTICATION, true);

        assertProblem(this::publish, ProblemType.CREDENTIALS_REJECTED, 60);
        assertProblem(this::publish, ProblemType.CREDENTIALS_REJECTED, 60);

        assertThat(this.logins.attempts).isEqualTo(1);
        assertThat(this.supervisor.backgroundConnects).isEmpty();
        this.clock.advance(this.settings.credentialsRejectedBackoff());
        assertThat(publish()).isTrue();
    }

    @Test
    void theDeviceGetsFiveLoginsAMinuteButRefusedSocketsDoNotCount() {
        DeviceConnection quick = connection(settings(Map.of("gateway.mqtt.reconnect-backoff", "100ms",
                "gateway.mqtt.reconnect-backoff-max", "100ms")));
        // the TCP connection was refused: no CONNECT reached the platform
        this.logins.failNext(MqttException.REASON_CODE_SERVER_CONNECT_ERROR, false);
        assertProblem(() -> publish(quick), ProblemType.PLATFORM_UNAVAILABLE, 1);
        for (int i = 0; i < 4; i++) {
            this.clock.advance(Duration.ofMillis(200));
            this.logins.failNext(MqttException.REASON_CODE_SERVER_CONNECT_ERROR, false);
            quick.connectInBackground();
        }
        for (int i = 0; i < 5; i++) {
            this.clock.advance(Duration.ofMillis(200));
            this.logins.failNext(MqttException.REASON_CODE_CLIENT_TIMEOUT, true);
            quick.connectInBackground();
        }
        this.clock.advance(Duration.ofMillis(200));

        quick.connectInBackground();

        assertThat(this.logins.attempts).isEqualTo(10);
        assertThat(quick.status().lastProblem()).isEqualTo(ProblemType.CONNECT_LIMITED);
        assertProblem(() -> publish(quick), ProblemType.CONNECT_LIMITED, 58, 59);
    }

    @Test
    void aPubackTimeoutWithNothingArrivingDropsTheLoginWithAResetAndReconnects() {
        publish();
        FakeLogin silent = this.logins.last();
        this.handler = message -> {
            // the completion timeout passes and nothing at all arrives
            this.clock.advance(this.settings.completionTimeout());
            throw timeout();
        };

        assertProblem(this::publish, ProblemType.PLATFORM_TIMEOUT, 1);

        assertThat(silent.aborted).isTrue();
        assertThat(this.connection.state()).isEqualTo(ConnectionState.DISCONNECTED);
        assertThat(this.supervisor.backgroundConnects).containsExactly(Duration.ZERO);
        // meanwhile requests fail fast: nothing is sent into a dead connection
        this.handler = this.published::add;
        assertProblem(this::publish, ProblemType.PLATFORM_UNAVAILABLE, 1);
        // the late loss report of the abandoned login changes nothing
        silent.lose();
        assertThat(this.supervisor.classifications).isEmpty();
        this.connection.connectInBackground();
        assertThat(publish()).isTrue();
    }

    @Test
    void pubackTimeoutsWhileTheConnectionStillTalksAreTakenForDeadOnlyAfterThreeInARow() {
        publish();
        FakeLogin slow = this.logins.last();
        this.handler = message -> {
            this.clock.advance(this.settings.completionTimeout());
            // a ping answer or another PUBACK arrived meanwhile
            slow.inbound = this.clock.nanos() - 1;
            throw timeout();
        };

        assertProblem(this::publish, ProblemType.PLATFORM_TIMEOUT, 1);
        assertProblem(this::publish, ProblemType.PLATFORM_TIMEOUT, 1);
        assertThat(slow.aborted).isFalse();
        assertThat(this.connection.state()).isEqualTo(ConnectionState.CONNECTED);

        assertProblem(this::publish, ProblemType.PLATFORM_TIMEOUT, 1);
        assertThat(slow.aborted).isTrue();
    }

    @Test
    void aLossOfAnEarlierLoginIsIgnored() {
        publish();
        FakeLogin first = this.logins.last();
        this.clock.advance(Duration.ofMinutes(5));
        first.lose();
        this.clock.advance(DeviceConnection.LOSS_SETTLE);
        this.connection.classifyLoss();
        this.connection.connectInBackground();

        first.lose();

        assertThat(this.connection.state()).isEqualTo(ConnectionState.CONNECTED);
    }

    @Test
    void aLoginLostBeforeItWasTakenIsALossAllTheSame() {
        // the platform closed it between the CONNACK and the connection taking it: its loss report was ignored
        this.logins.loseNextRightAway = true;

        this.connection.connectInBackground();

        assertThat(this.connection.state()).isEqualTo(ConnectionState.DISCONNECTED);
        assertThat(this.supervisor.classifications).containsExactly(DeviceConnection.LOSS_SETTLE);
    }

    @Test
    void closingLogsOutAndNothingReconnectsAfterwards() {
        publish();
        FakeLogin open = this.logins.last();

        this.connection.close();
        open.lose();
        this.connection.connectInBackground();

        assertThat(open.loggedOut).isTrue();
        assertThat(this.logins.opened).hasSize(1);
        assertThat(this.supervisor.classifications).isEmpty();
    }

    private DeviceConnection connection(MqttProperties properties) {
        return new DeviceConnection(DEVICE, message -> this.handler.accept(message), this.logins, properties,
                this.clock, this.clock::nanos, this.supervisor, new ConnectionMetrics(new SimpleMeterRegistry(),
                        state -> 0),
                new ConnectGate(new SlidingWindow(properties.maxConnectsPerMinute(), ConnectGate.DEVICE_WINDOW),
                        new SlidingWindow(properties.maxConnectsPerSecond(), Duration.ofSeconds(1)), this.clock::nanos),
                this.subscriptions);
    }

    private boolean publish() {
        return publish(this.connection);
    }

    private static boolean publish(DeviceConnection connection) {
        return connection.sender().publish("/a61QmwQD5ZF/mosheep/user/sheep", new byte[] { 1 }, 1);
    }

    private void kick() {
        this.logins.last().lose();
        this.supervisor.othersConnected = true;
        this.clock.advance(DeviceConnection.LOSS_SETTLE);
        this.connection.classifyLoss();
        this.supervisor.othersConnected = false;
    }

    private static RuntimeException timeout() {
        return new MessageHandlingException(null, "Failed to publish to MQTT",
                new MqttException(MqttException.REASON_CODE_CLIENT_TIMEOUT));
    }

    private static void assertProblem(Runnable request, ProblemType problem, long retryAfterSeconds) {
        assertProblem(request, problem, retryAfterSeconds, retryAfterSeconds);
    }

    /** Retry-After is whole seconds, rounded up: a jittered back-off of 1.1 s says 2. */
    private static void assertProblem(Runnable request, ProblemType problem, long minRetryAfter, long maxRetryAfter) {
        assertThatExceptionOfType(GatewayException.class).isThrownBy(request::run).satisfies(ex -> {
            assertThat(ex.problemType()).isEqualTo(problem);
            assertThat(Long.parseLong(ex.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)))
                .isBetween(minRetryAfter, maxRetryAfter);
        });
    }

    private static MqttProperties settings(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
            .bindOrCreate("gateway.mqtt", Bindable.of(MqttProperties.class));
    }

    private final class FakeLogin implements DeviceLogin {

        private final LossListener listener;

        private boolean connected = true;

        private boolean aborted;

        private boolean loggedOut;

        private long inbound = DeviceConnectionTests.this.clock.nanos();

        // each SUBSCRIBE's filters, in order
        private final List<List<String>> subscribes = new ArrayList<>();

        // the reason code every SUBSCRIBE fails with, 0 for none
        private int refuseSubscriptions;

        private final ArrivalListener arrivals;

        FakeLogin(LossListener listener, ArrivalListener arrivals) {
            this.listener = listener;
            this.arrivals = arrivals;
        }

        void lose() {
            this.connected = false;
            this.listener.lost(this, new MqttException(MqttException.REASON_CODE_CONNECTION_LOST));
        }

        @Override
        public boolean isConnected() {
            return this.connected;
        }

        @Override
        public long lastInboundNanos() {
            return this.inbound;
        }

        @Override
        public void logOut(long timeoutMillis) {
            this.loggedOut = true;
            this.connected = false;
        }

        @Override
        public void abort() {
            this.aborted = true;
            this.connected = false;
        }

        @Override
        public void release() {
            this.connected = false;
        }

        @Override
        public void subscribe(String[] topicFilters, long timeoutMillis) throws MqttException {
            if (!this.connected) {
                throw new MqttException(MqttException.REASON_CODE_CLIENT_NOT_CONNECTED);
            }
            if (this.refuseSubscriptions != 0) {
                throw new MqttException(this.refuseSubscriptions);
            }
            this.subscribes.add(List.of(topicFilters));
        }
    }

    private final class FakeLogins implements DeviceLogin.Factory {

        private final List<FakeLogin> opened = new ArrayList<>();

        private final List<DeviceLogin> forgotten = new ArrayList<>();

        private final Deque<LoginFailedException> failures = new ArrayDeque<>();

        private int attempts;

        private boolean loseNextRightAway;

        void failNext(int reasonCode, boolean reachedPlatform) {
            this.failures.add(new LoginFailedException(new MqttException(reasonCode), reachedPlatform));
        }

        FakeLogin last() {
            return this.opened.getLast();
        }

        @Override
        public DeviceLogin login(DeviceLogin.LossListener listener, DeviceLogin.ArrivalListener arrivals)
                throws LoginFailedException {
            this.attempts++;
            LoginFailedException failure = this.failures.poll();
            if (failure != null) {
                throw failure;
            }
            FakeLogin login = new FakeLogin(listener, arrivals);
            this.opened.add(login);
            if (this.loseNextRightAway) {
                this.loseNextRightAway = false;
                login.lose();
            }
            return login;
        }

        @Override
        public void forget(DeviceLogin login) {
            this.forgotten.add(login);
        }
    }

    private static final class FakeSupervisor implements DeviceConnection.Supervisor {

        private final List<Duration> classifications = new ArrayList<>();

        private final List<Duration> backgroundConnects = new ArrayList<>();

        private boolean othersConnected;

        @Override
        public void classifyLossAfter(DeviceConnection connection, Duration delay) {
            this.classifications.add(delay);
        }

        @Override
        public boolean connectInBackgroundAfter(DeviceConnection connection, Duration delay) {
            this.backgroundConnects.add(delay);
            return true;
        }

        @Override
        public boolean othersConnectedSince(DeviceId device, @Nullable Instant instant) {
            return this.othersConnected;
        }
    }
}
