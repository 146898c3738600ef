package io.iotgateway.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Baseline (c), what people do today: one {@code mosquitto_pub} process per message, logging in as the device
 * with a signed password, publishing one message at the QoS and disconnecting.
 */
final class PubTarget implements Target {

    private final String executable;

    private final int port;

    private final Devices devices;

    private final int qos;

    private final Path payloadFile;

    PubTarget(String executable, int port, Devices devices, int qos, Path payloadFile) {
        this.executable = executable;
        this.port = port;
        this.devices = devices;
        this.qos = qos;
        this.payloadFile = payloadFile;
    }

    @Override
    public String send(int device) {
        Devices.Login login = this.devices.login(device);
        List<String> command = List.of(this.executable, "-h", "127.0.0.1", "-p", Integer.toString(this.port), "-V",
                "mqttv311", "-i", login.clientId(), "-u", login.username(), "-P", login.password(), "-t",
                this.devices.topic(device), "-q", Integer.toString(this.qos), "-f", this.payloadFile.toString());
        try {
            Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return "timeout";
            }
            return (process.exitValue() == 0) ? null : "exit " + process.exitValue();
        }
        catch (IOException ex) {
            return ex.getClass().getSimpleName();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
