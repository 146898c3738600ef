package io.iotgateway.testsupport;

import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One resource of a test class (a proxy, a stalling broker, a network namespace, certificates) as a JUnit
 * extension: started on first {@link #get()}, closed after the class.
 * <pre>{@code
 * @RegisterExtension
 * static final ClassResource<StallingBroker> noPuback = ClassResource.of(() -> StallingBroker.start(NO_PUBACK));
 * }</pre>
 * On first use, not before the class: a {@code @DynamicPropertySource} needs a broker's address before the Spring
 * context starts, and a class its conditions skip must never start it. {@code @Nested} classes share the resource
 * of the class that declares it, which closes it when it is done; after that the next {@link #get()} starts a new
 * one (a rerun in the same JVM). For mosquitto, {@link MosquittoBrokerExtension} adds its condition and address.
 *
 * @param <T> the resource
 */
public final class ClassResource<T extends AutoCloseable> implements BeforeAllCallback, AfterAllCallback {

    private final Supplier<? extends T> start;

    // the class that declared the extension: the outermost one, whose beforeAll comes first
    private @Nullable Class<?> owner;

    private @Nullable T resource;

    private ClassResource(Supplier<? extends T> start) {
        this.start = start;
    }

    /** A resource that {@code start} starts on first use. */
    public static <T extends AutoCloseable> ClassResource<T> of(Supplier<? extends T> start) {
        return new ClassResource<>(start);
    }

    /** The resource, started now if this is its first use. */
    public synchronized T get() {
        T current = this.resource;
        if (current == null) {
            current = this.start.get();
            this.resource = current;
        }
        return current;
    }

    @Override
    public synchronized void beforeAll(ExtensionContext context) {
        if (this.owner == null) {
            this.owner = context.getRequiredTestClass();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        T current;
        synchronized (this) {
            if (context.getRequiredTestClass() != this.owner) {
                // a nested class is done; the class that declared the resource still runs
                return;
            }
            current = this.resource;
            this.resource = null;
            this.owner = null;
        }
        if (current != null) {
            current.close();
        }
    }
}
