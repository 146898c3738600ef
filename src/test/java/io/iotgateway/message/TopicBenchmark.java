package io.iotgateway.message;

import java.util.concurrent.TimeUnit;

import io.iotgateway.credential.DeviceId;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Topic building and validation, done on every publish request (UserTopic is package-private, hence here).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TopicBenchmark {

    private final DeviceId device = new DeviceId("a61QmwQD5ZF", "mosheep");

    @Benchmark
    public String oneLevel() {
        return UserTopic.of(this.device, "sheep");
    }

    @Benchmark
    public String fourLevels() {
        return UserTopic.of(this.device, "farm_1/barn/sensors/temp_1");
    }
}
