package io.iotgateway.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Baseline (b)'s server, {@code httpceiling.HttpCeilingApp}, in its own JVM with the gateway's JVM flags. */
record HttpCeiling(Child child, String baseUrl) {

    static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(20);

    static HttpCeiling start(Rig rig) throws IOException {
        Options o = rig.options();
        int port = Bench.freePort();
        Path log = o.work.resolve("http-ceiling.log");
        List<String> command = new ArrayList<>();
        command.add(o.java);
        command.addAll(o.serverJvm);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"),
                "io.iotgateway.bench.httpceiling.HttpCeilingApp", "--server.port=" + port,
                "--server.address=127.0.0.1", "--spring.threads.virtual.enabled=true",
                // the gateway's own setting (application.properties), so that both servers keep connections alike
                "--server.tomcat.max-keep-alive-requests=10000",
                "--spring.main.banner-mode=off", "--bench.tmp=" + o.tmp));
        Bench.log("(b) HTTP ceiling: trivial Spring MVC endpoint on port %d", port);
        Child app = rig.processes().start("http-ceiling", command, log, o.tmp);
        String baseUrl = "http://127.0.0.1:" + port;
        rig.probe().awaitReady(app, baseUrl + "/ready", Duration.ofSeconds(90));
        return new HttpCeiling(app, baseUrl);
    }

    void stop(Processes processes) {
        processes.stop(this.child, SHUTDOWN_GRACE);
    }
}
