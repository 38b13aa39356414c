package io.mfagov.devstack;

import java.util.function.Supplier;

/**
 * Runs server code with this library's class loader as the thread context class loader.
 *
 * <p>Kafka instantiates plugins by name through the context class loader, log4j-core (which Kafka
 * initialises) discovers its plugins through it, and threads started meanwhile inherit it. Inside a
 * Quarkus test the caller's context loader is the application's runtime loader: classes found there are
 * not the ones the broker was linked against (NoSuchMethodException, ClassCastException), and that loader
 * is closed when the application stops.
 */
final class OwnClassLoader {

    private OwnClassLoader() {
    }

    static <T> T call(Supplier<T> action) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(OwnClassLoader.class.getClassLoader());
        try {
            return action.get();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    static void run(Runnable action) {
        call(() -> {
            action.run();
            return null;
        });
    }
}
