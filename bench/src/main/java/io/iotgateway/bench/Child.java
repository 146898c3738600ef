package io.iotgateway.bench;

import java.nio.file.Path;
import java.util.List;

/**
 * A process the run started (mosquitto, a gateway, the HTTP ceiling), with its log.
 *
 * @param started {@link System#nanoTime()} when it was started, for its start-up time
 */
record Child(String name, Process process, Path log, long started) {

    long pid() {
        return this.process.pid();
    }

    /** The last lines of its log, for an error message. */
    String tail() {
        List<String> lines = Bench.readQuietly(this.log).lines().toList();
        return "\n  ..." + String.join("\n  ", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    }

    /** Stops the scenarios of a server that died (an OutOfMemoryError, say), saying so in the report. */
    void checkAlive(String during) {
        if (!this.process.isAlive()) {
            throw new IllegalStateException(this.name + " exited with code " + this.process.exitValue()
                    + " during \"" + during + "\"; its log ends: " + tail().replace("\n", " "));
        }
    }
}
