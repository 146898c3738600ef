package io.iotgateway.mqtt.transport;

import java.io.IOException;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * Loads and initialises the classes of the MQTT stack on the calling (platform) thread, before any virtual thread
 * needs them. A virtual thread that loads a class is pinned to its carrier, and with two carriers a burst of
 * virtual threads loading classes for the first time (warm-up logins, Paho's receivers and pingers, a disconnect
 * storm at shutdown) deadlocked the JVM at start: both carriers pinned waiting for the nested-jar lock, held by a
 * platform thread that waited for a lock held by an unmounted virtual thread. Paho's classes also read resource
 * bundles when they are initialised. Loaded once, they are never loaded again.
 */
public final class PahoClasses {

    private static final Log log = LogFactory.getLog(PahoClasses.class);

    private static final String[] PACKAGES = { "org/eclipse/paho/client/mqttv3",
            "org/springframework/integration/mqtt", "io/iotgateway/mqtt", "io/iotgateway/limit" };

    private static volatile boolean loaded;

    private PahoClasses() {
    }

    public static void load() {
        if (loaded) {
            return;
        }
        long start = System.nanoTime();
        ClassLoader loader = PahoClasses.class.getClassLoader();
        PathMatchingResourcePatternResolver resolver = new PathMatchingResourcePatternResolver(loader);
        int count = 0;
        for (String pkg : PACKAGES) {
            try {
                for (Resource resource : resolver.getResources("classpath*:" + pkg + "/**/*.class")) {
                    count += load(loader, className(pkg, resource));
                }
            }
            catch (IOException ex) {
                log.warn("Could not list the classes of " + pkg + " to load them ahead: " + ex);
            }
        }
        loaded = true;
        log.debug("Loaded " + count + " MQTT classes in " + (System.nanoTime() - start) / 1_000_000 + " ms");
    }

    private static String className(String pkg, Resource resource) throws IOException {
        String url = resource.getURL().toString();
        String path = url.substring(url.lastIndexOf(pkg + "/"), url.length() - ".class".length());
        return path.replace('/', '.');
    }

    private static int load(ClassLoader loader, String className) {
        if (className.endsWith("package-info") || className.endsWith("module-info")) {
            return 0;
        }
        try {
            Class.forName(className, true, loader);
            return 1;
        }
        catch (ClassNotFoundException | LinkageError ex) {
            // optional parts (Paho's websocket or Android classes) need what the gateway does not ship
            return 0;
        }
    }
}
