package io.mfagov.devstack.testing;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;

/**
 * Keeps the shared servers in the system class loader.
 *
 * <p>Quarkus instantiates test resources (and loads test classes) in a runtime class loader per application,
 * and closes it when that application stops. A broker started from such a loader would keep running on
 * classes from a closed loader, and a second application would start a second broker. So the test resources
 * forward their static calls to their own copy in the system class loader, which sees the same class path
 * (Surefire puts the whole test class path there), lives as long as the JVM, and holds the one broker and
 * the one PostgreSQL server. Only JDK types cross the boundary.
 */
final class SystemClassLoaderCopy {

    private SystemClassLoaderCopy() {
    }

    /** {@code type} as loaded by the system class loader, or {@code type} itself if that is where it lives. */
    static Class<?> of(Class<?> type) {
        ClassLoader system = ClassLoader.getSystemClassLoader();
        if (type.getClassLoader() == system) {
            return type;
        }
        try {
            return Class.forName(type.getName(), true, system);
        } catch (ClassNotFoundException e) {
            return type; // not on the system class path: share per class loader instead
        }
    }

    static boolean isSystemCopy(Class<?> type) {
        return of(type) == type;
    }

    /** Calls a public static method on the system copy of {@code type}. */
    static Object call(Class<?> type, String method, Class<?>[] parameterTypes, Object... args) {
        try {
            Method target = of(type).getMethod(method, parameterTypes);
            return target.invoke(null, args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Cannot call " + type.getName() + "." + method, e);
        }
    }

    /** Where the test servers keep their data: system property {@code devstack.dir}, default {@code target/devstack}. */
    static Path devstackDir() {
        return Path.of(System.getProperty("devstack.dir", "target/devstack"));
    }
}
