package io.iotgateway.testsupport;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

class ClassResourceTests {

    private final List<Resource> started = new ArrayList<>();

    private final ClassResource<Resource> resource = ClassResource.of(() -> {
        Resource next = new Resource();
        this.started.add(next);
        return next;
    });

    @Test
    void startsOnFirstUseOnlyAndOnce() {
        this.resource.beforeAll(context(ClassResourceTests.class));

        assertThat(this.started).isEmpty();
        assertThat(this.resource.get()).isSameAs(this.resource.get());
        assertThat(this.started).hasSize(1);
    }

    @Test
    void closesWhenTheDeclaringClassIsDoneNotWhenItsNestedClassIs() throws Exception {
        this.resource.beforeAll(context(ClassResourceTests.class));
        this.resource.beforeAll(context(Inner.class));
        Resource used = this.resource.get();

        this.resource.afterAll(context(Inner.class));

        assertThat(used.closed).isFalse();
        assertThat(this.resource.get()).isSameAs(used);

        this.resource.afterAll(context(ClassResourceTests.class));

        assertThat(used.closed).isTrue();
    }

    @Test
    void aClassThatNeverUsedItClosesNothing() throws Exception {
        this.resource.beforeAll(context(ClassResourceTests.class));

        this.resource.afterAll(context(ClassResourceTests.class));

        assertThat(this.started).isEmpty();
    }

    @Test
    void aRunAfterTheCloseStartsAFreshOne() throws Exception {
        this.resource.beforeAll(context(ClassResourceTests.class));
        Resource first = this.resource.get();
        this.resource.afterAll(context(ClassResourceTests.class));

        this.resource.beforeAll(context(ClassResourceTests.class));

        assertThat(this.resource.get()).isNotSameAs(first);
        assertThat(first.closed).isTrue();
    }

    private static ExtensionContext context(Class<?> testClass) {
        ExtensionContext context = mock(ExtensionContext.class);
        given(context.getRequiredTestClass()).willAnswer(invocation -> testClass);
        return context;
    }

    private static final class Resource implements AutoCloseable {

        private boolean closed;

        @Override
        public void close() {
            this.closed = true;
        }
    }

    /** Stands in for a {@code @Nested} class of the class that declares the resource. */
    private final class Inner {
    }
}
