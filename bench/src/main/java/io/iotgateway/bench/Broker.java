package io.iotgateway.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The run's local mosquitto, which every system under test publishes to.
 */
record Broker(Child child, int port) {

    /**
     * Writes its configuration, notes it in the facts (before the start, so a broker that does not start is
     * reported with it), starts it and waits until it listens (10 s at the most).
     */
    static Broker start(Options o, Processes processes, RunFacts facts) throws IOException {
        int port = Bench.freePort();
        Path dir = o.tmp.resolve("mosquitto");
        Files.createDirectories(dir);
        Bench.setReadable(dir);
        Path conf = dir.resolve("mosquitto.conf");
        Files.writeString(conf, configuration(port));
        Bench.setReadable(conf);
        facts.setup.put("mosquitto.conf", Files.readString(conf).lines()
            .filter(line -> !line.startsWith("#"))
            .reduce((a, b) -> a + "; " + b)
            .orElse(""));
        Bench.log("mosquitto on 127.0.0.1:%d", port);
        Child child = processes.start("mosquitto", List.of(o.mosquitto, "-c", conf.toString()),
                o.work.resolve("mosquitto.log"), dir);
        awaitListening(child, port);
        return new Broker(child, port);
    }

    private static String configuration(int port) {
        return String.join("\n",
                "# written by bench/run.sh for one benchmark run",
                "listener " + port + " 127.0.0.1",
                "allow_anonymous true",
                "max_connections -1",
                "max_inflight_messages 100",
                "max_queued_messages 1000000",
                "persistence false",
                "set_tcp_nodelay true",
                "connection_messages false",
                "log_dest stderr",
                "log_type error",
                "log_type warning",
                "log_type notice",
                "");
    }

    private static void awaitListening(Child broker, int port) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            }
            catch (IOException ex) {
                if (!broker.process().isAlive() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("mosquitto did not start: " + broker.tail());
                }
                Load.sleep(Duration.ofMillis(50));
            }
        }
    }

    long pid() {
        return this.child.pid();
    }

    String uri() {
        return "tcp://127.0.0.1:" + this.port;
    }
}
