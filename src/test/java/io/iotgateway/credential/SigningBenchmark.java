package io.iotgateway.credential;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The pure-Java work of the credentials: signing a CONNECT (once per connection) and checking a device id (every
 * request). Not part of the test run; see docs/performance.md for the command and the figures.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SigningBenchmark {

    @Param({ "HMACMD5", "HMACSHA1", "HMACSHA256" })
    public SignMethod method;

    @Benchmark
    public String signConnectPassword() {
        return AliyunMqttSigner.password("s3cr3t-device-secret-0123456789ab", "a61QmwQD5ZF.mosheep", "mosheep",
                "a61QmwQD5ZF", "1700000000000", this.method);
    }

    @Benchmark
    public DeviceId validateDeviceId() {
        return new DeviceId("a61QmwQD5ZF", "mosheep");
    }
}
