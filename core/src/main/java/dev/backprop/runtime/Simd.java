package dev.backprop.runtime;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The one loader of SIMD code. Classes that use {@code jdk.incubator.vector} cannot even link
 * without {@code --add-modules jdk.incubator.vector}, so they are loaded by name, and only when the
 * module is in the boot layer; everything else in core runs without it.
 */
public final class Simd {
    private Simd() {
    }

    /** Whether SIMD code may run: the module is present and {@code -Dbackprop.plain=true} was not given. */
    public static boolean available() {
        return !Boolean.getBoolean("backprop.plain") && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    }

    /**
     * A new instance of the SIMD class {@code className} (a {@code type} with a no-argument
     * constructor, found and made through the caller's {@code lookup}, so it may be package-private),
     * or null when SIMD is not {@link #available} or the class cannot be loaded: then the caller's
     * plain-Java code runs.
     */
    public static <T> T load(MethodHandles.Lookup lookup, String className, Class<T> type) {
        if (!available()) {
            return null;
        }
        try {
            Class<?> c = lookup.findClass(className);
            return type.cast(lookup.findConstructor(c, MethodType.methodType(void.class)).invoke());
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return null; // a missing or unlinkable class, or a failing initialiser: the plain code runs
        } catch (Error e) {
            throw e;
        } catch (Throwable e) {
            return null;
        }
    }
}
