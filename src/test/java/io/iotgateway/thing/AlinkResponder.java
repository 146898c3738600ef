package io.iotgateway.thing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.iotgateway.testsupport.MosquittoConfig;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Plays the platform's thing-model side on a plain mosquitto: a client subscribed to every device's
 * {@code /sys/+/+/thing/event/+/post} that answers each Alink request on its {@code _reply} topic with the code it
 * is told, echoing the request's {@code params} as {@code data} (so a caller can tell its own reply), or stays
 * silent, or holds the requests until it has a number of them and answers them in reverse order.
 */
final class AlinkResponder implements AutoCloseable {

    static final String USER = "responder";

    static final String PASSWORD = "responder-password";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final MqttClient client;

    // replies go out from here, never from Paho's callback thread
    private final ExecutorService replies = Executors.newSingleThreadExecutor();

    private final List<Request> received = new ArrayList<>();

    private final List<Request> held = new ArrayList<>();

    private int code = 200;

    private boolean silent;

    private int holdUntil;

    private AlinkResponder(MqttClient client) {
        this.client = client;
    }

    /** The broker rules that let the responder read every request and write every reply. */
    static MosquittoConfig allow(MosquittoConfig config) {
        return config.withUser(USER, PASSWORD).aclFor(USER, "readwrite", "/sys/#");
    }

    static AlinkResponder connect(String brokerUri) {
        try {
            MqttClient client = new MqttClient(brokerUri, "alink-responder", new MemoryPersistence());
            AlinkResponder responder = new AlinkResponder(client);
            client.setCallback(responder.callback());
            MqttConnectOptions options = new MqttConnectOptions();
            options.setUserName(USER);
            options.setPassword(PASSWORD.toCharArray());
            options.setAutomaticReconnect(false);
            client.connect(options);
            client.subscribe("/sys/+/+/thing/event/+/post", 1);
            return responder;
        }
        catch (MqttException ex) {
            throw new IllegalStateException("The responder could not connect to " + brokerUri, ex);
        }
    }

    /** From now on: answer every request at once with {@code code}. */
    synchronized void answerWith(int code) {
        this.code = code;
        this.silent = false;
        this.holdUntil = 0;
        this.received.clear();
        this.held.clear();
    }

    /** From now on: answer nothing. */
    synchronized void stayQuiet() {
        answerWith(200);
        this.silent = true;
    }

    /** From now on: keep the requests until {@code count} arrived, then answer them with 200, the last first. */
    synchronized void answerInReverseOnceThereAre(int count) {
        answerWith(200);
        this.holdUntil = count;
    }

    synchronized List<Request> received() {
        return List.copyOf(this.received);
    }

    private synchronized void onRequest(Request request) {
        this.received.add(request);
        if (this.silent) {
            return;
        }
        if (this.holdUntil == 0) {
            reply(request, this.code);
            return;
        }
        this.held.add(request);
        if (this.held.size() == this.holdUntil) {
            this.held.reversed().forEach(each -> reply(each, 200));
            this.held.clear();
        }
    }

    private void reply(Request request, int code) {
        ObjectNode reply = JSON.createObjectNode();
        reply.put("code", code);
        reply.set("data", JSON.createObjectNode().set("params", request.json().get("params")));
        reply.put("id", request.json().get("id").asString());
        reply.put("message", (code == 200) ? "success" : "refused by the test's responder");
        reply.put("method", request.json().get("method").asString());
        reply.put("version", "1.0");
        byte[] payload = JSON.writeValueAsBytes(reply);
        this.replies.execute(() -> {
            try {
                this.client.publish(request.topic() + "_reply", payload, 0, false);
            }
            catch (MqttException ex) {
                throw new IllegalStateException(ex);
            }
        });
    }

    private MqttCallback callback() {
        return new MqttCallback() {

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                String raw = new String(message.getPayload(), StandardCharsets.UTF_8);
                onRequest(new Request(topic, raw, JSON.readTree(raw)));
            }

            @Override
            public void connectionLost(Throwable cause) {
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        };
    }

    @Override
    public void close() throws MqttException {
        this.replies.close();
        if (this.client.isConnected()) {
            this.client.disconnect(2000);
        }
        this.client.close();
    }

    /**
     * One Alink request as it arrived.
     *
     * @param topic where the device published it
     * @param raw its bytes as text, exactly
     * @param json parsed
     */
    record Request(String topic, String raw, JsonNode json) {
    }
}
