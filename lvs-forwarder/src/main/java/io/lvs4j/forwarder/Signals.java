package io.lvs4j.forwarder;

import java.lang.System.Logger.Level;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * POSIX signals for the standalone forwarder, through {@code sun.misc.Signal} from the {@code jdk.unsupported}
 * module: not a standard API, but exported by every JDK since 9 and kept for exactly this use. It is reached by
 * reflection so that the build has no compile-time dependency on it (and no proprietary-API warning). SIGHUP
 * reloads; SIGTERM and SIGINT start the orderly shutdown. A signal that cannot be caught (a JVM started with
 * {@code -Xrs}, a platform without it) is logged, and the JVM's default applies to it.
 */
final class Signals {
    private static final System.Logger LOG = System.getLogger(Signals.class.getName());

    private Signals() {
    }

    /** Runs {@code action} on each SIGHUP, on a JDK signal thread (hand long work to another thread). */
    static void onHangup(Runnable action) {
        handle("HUP", action);
    }

    /** Runs {@code action} on SIGTERM and on SIGINT. */
    static void onTerminate(Runnable action) {
        handle("TERM", action);
        handle("INT", action);
    }

    private static void handle(String name, Runnable action) {
        try {
            Class<?> signal = Class.forName("sun.misc.Signal");
            Class<?> handler = Class.forName("sun.misc.SignalHandler");
            Object proxy = Proxy.newProxyInstance(handler.getClassLoader(), new Class<?>[] {handler},
                    (self, method, args) -> switch (method.getName()) {
                        case "handle" -> {
                            action.run();
                            yield null;
                        }
                        case "hashCode" -> System.identityHashCode(self);
                        case "equals" -> self == args[0];
                        case "toString" -> "lvs-forwarder SIG" + name + " handler";
                        default -> null;
                    });
            Method register = signal.getMethod("handle", signal, handler);
            register.invoke(null, signal.getConstructor(String.class).newInstance(name), proxy);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            Throwable cause = e instanceof java.lang.reflect.InvocationTargetException ite ? ite.getCause() : e;
            LOG.log(Level.WARNING, "cannot catch SIG" + name + ": " + cause);
        }
    }
}
