package io.iotgateway.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.stream.IntStream;

/**
 * The baselines the gateway is compared with, on the same broker and devices: (a) direct Paho clients in the load
 * generator, (b) a trivial Spring MVC endpoint (the HTTP ceiling) and (c) one {@code mosquitto_pub} per message.
 */
final class Baselines {

    private final Rig rig;

    Baselines(Rig rig) {
        this.rig = rig;
    }

    /** (a): connect all devices, max throughput, fixed rate, then new clients' connect + first publish. */
    void directPaho() {
        Options o = this.rig.options();
        Devices main = this.rig.mainDevices();
        Bench.log("(a) direct Paho: %d clients on the load generator, QoS %d", o.devices, o.qos);
        Meter meter = this.rig.meter(0);
        MqttTarget target = new MqttTarget(this.rig.broker().uri(), main, o.qos, this.rig.payload().bytes());
        try {
            add(target.connectAll(result("a.connect", "connect all devices"), Math.min(o.connectConcurrency, 100),
                    meter));
            this.rig.idle().before("(a) max throughput");
            add(Load.closed(result("a.max", "max throughput"), target, o.devices, o.concurrency, o.warmup,
                    o.duration, meter));
            add(Load.open(result("a.rate", "fixed rate"), target, o.devices, o.rate, o.rateWarmup, o.duration,
                    o.maxInflight, meter));
        }
        finally {
            target.close();
        }
        // new clients for the same devices (the long-lived ones are closed, so nothing is taken over)
        MqttTarget cold = new MqttTarget(this.rig.broker().uri(), main, o.qos, this.rig.payload().bytes());
        try {
            Result connectOnly = result("a.connect1", "connect only");
            add(cold.coldSample(result("a.cold", "connect + first publish"), connectOnly,
                    Rig.sample(o.devices, o.coldSamples), meter));
            add(connectOnly);
        }
        finally {
            cold.close();
        }
    }

    private Result result(String id, String scenario) {
        return new Result(id, "(a) Paho direct", scenario);
    }

    /** (b): max throughput and fixed rate. */
    void httpCeiling() throws IOException {
        Options o = this.rig.options();
        HttpCeiling ceiling = HttpCeiling.start(this.rig);
        Child app = ceiling.child();
        try {
            Meter meter = this.rig.meter(app.pid());
            try (HttpTarget target = this.rig.http(ceiling.baseUrl(), this.rig.mainDevices())) {
                this.rig.idle().before("(b) max throughput");
                this.rig.findings().add(Load.closed(new Result("b.max", "(b) HTTP ceiling", "max throughput"),
                        target, o.devices, o.concurrency, o.warmup, o.duration, meter), app);
                this.rig.findings().add(Load.open(new Result("b.rate", "(b) HTTP ceiling", "fixed rate"),
                        target, o.devices, o.rate, o.rateWarmup, o.duration, o.maxInflight, meter), app);
            }
        }
        finally {
            ceiling.stop(this.rig.processes());
        }
    }

    /** (c): a few hundred messages, a process each, two at a time. */
    void mosquittoPub() {
        Options o = this.rig.options();
        Bench.log("(c) mosquitto_pub: %d messages, one process each, %d at a time", o.pubMessages, o.pubConcurrency);
        PubTarget target = new PubTarget(o.mosquittoPub, this.rig.broker().port(), this.rig.mainDevices(), o.qos,
                this.rig.payload().file());
        int[] sequence = IntStream.range(0, o.pubMessages).map(i -> i % o.devices).toArray();
        Result result = Load.each(new Result("c.pub", "(c) mosquitto_pub", "one process per message"), target,
                sequence, o.pubConcurrency, Duration.ofMinutes(2), this.rig.meter(0));
        result.facts.mode = o.pubMessages + " messages, " + o.pubConcurrency + " processes at a time";
        add(result);
    }

    private void add(Result result) {
        this.rig.findings().add(result);
    }
}
