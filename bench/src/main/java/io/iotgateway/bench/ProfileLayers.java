package io.iotgateway.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Each profile sample in one layer of the request path, told by the frames on its stack. The first matching layer
 * of the list wins, so a layer's share is its own work without the layers listed before it (Spring Security's
 * filters without the MVC and the publish they lead to), kernel time included. Frames as async-profiler writes them.
 */
final class ProfileLayers {

    private record Layer(String label, Predicate<String> stack) {
    }

    private static final List<Layer> LAYERS = List.of(
            new Layer("Paho's own threads (send, receive, callbacks)",
                    s -> s.contains("org/eclipse/paho/") && !s.contains("DeviceConnectionPool.publish")),
            new Layer("the publish on the request's thread (`DeviceConnectionPool.publish`: Spring Integration, "
                    + "Paho's send, the wait for the PUBACK)", s -> s.contains("DeviceConnectionPool.publish")),
            new Layer("Spring MVC and the controller's checks, without the publish",
                    s -> s.contains("org/springframework/web/servlet/DispatcherServlet")),
            new Layer("Spring Security's filters, without what runs after them",
                    s -> s.contains("org/springframework/security/web/FilterChainProxy")),
            new Layer("the other servlet filters (observation, ...), without what runs after them",
                    s -> s.contains("org/apache/catalina/core/ApplicationFilterChain")),
            new Layer("Tomcat outside the filter chain (parsing, writing the response, its poller)",
                    s -> s.contains("org/apache/tomcat/") || s.contains("org/apache/coyote/")
                            || s.contains("org/apache/catalina/")),
            new Layer("the virtual-thread scheduler, its timers (`DelayScheduler`) and unblocker, no request frame",
                    s -> s.contains("java/util/concurrent/ForkJoinPool") || s.contains("DelayScheduler")
                            || s.contains("VirtualThread")),
            new Layer("GC", s -> s.startsWith("G1") || s.contains(";G1") || s.contains("WorkerThread::")),
            new Layer("JIT compiler", s -> s.contains("CompileBroker::")));

    private final Map<String, long[]> counts = new LinkedHashMap<>();

    ProfileLayers() {
        LAYERS.forEach(layer -> this.counts.put(layer.label(), new long[2]));
        this.counts.put("other", new long[2]);
    }

    void add(String stack, long count, boolean kernelLeaf) {
        String label = LAYERS.stream().filter(layer -> layer.stack().test(stack)).map(Layer::label).findFirst()
            .orElse("other");
        long[] sums = this.counts.get(label);
        sums[0] += count;
        sums[1] += kernelLeaf ? count : 0;
    }

    String markdown(long samples) {
        StringBuilder out = new StringBuilder("| Layer (first match on the stack) | samples | of which in the kernel |\n"
                + "|---|---|---|\n");
        this.counts.forEach((label, sums) -> out.append(String.format(Locale.ROOT, "| %s | %.1f %% | %.1f %% |%n",
                label, sums[0] * 100.0 / Math.max(1, samples), sums[1] * 100.0 / Math.max(1, samples))));
        return out.toString();
    }
}
