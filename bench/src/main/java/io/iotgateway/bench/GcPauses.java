package io.iotgateway.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.concurrent.ConcurrentLinkedQueue;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

import com.sun.management.GarbageCollectionNotificationInfo;

/**
 * The load generator's own GC pauses. It shares the machine with the server it measures and every request it
 * times waits through its pauses too, so a window's pauses are reported next to that window's latencies: a
 * latency tail that matches them is the load generator's, not the server's.
 */
final class GcPauses {

    private static final ConcurrentLinkedQueue<long[]> PAUSES = new ConcurrentLinkedQueue<>();

    private GcPauses() {
    }

    /** Starts listening; call once, before the first measured window. */
    static void listen() {
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            // concurrent collectors' cycles run beside the application; only pauses stop the load generator
            if (!isPause(collector.getName())) {
                continue;
            }
            ((NotificationEmitter) collector).addNotificationListener((notification, handback) -> {
                if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                    var info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
                    PAUSES.add(new long[] { System.nanoTime(), info.getGcInfo().getDuration() });
                }
            }, null, null);
        }
    }

    /** G1 and ZGC name their concurrent work as separate collectors ("G1 Concurrent GC", "ZGC Minor Cycles"). */
    private static boolean isPause(String collector) {
        return !collector.contains("Concurrent") && !collector.contains("Cycles");
    }

    /** Pauses that ended in a window. */
    record Window(long count, long totalMillis, long longestMillis) {
    }

    /** Pauses that ended since {@code sinceNanos}. */
    static Window since(long sinceNanos) {
        long count = 0;
        long total = 0;
        long longest = 0;
        for (long[] pause : PAUSES) {
            if (pause[0] >= sinceNanos) {
                count++;
                total += pause[1];
                longest = Math.max(longest, pause[1]);
            }
        }
        return new Window(count, total, longest);
    }
}
