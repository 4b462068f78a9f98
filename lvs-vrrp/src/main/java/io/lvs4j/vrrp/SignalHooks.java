package io.lvs4j.vrrp;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.function.Consumer;

/**
 * Catches POSIX signals (TERM, INT, HUP) through the JDK's {@code sun.misc.Signal} (module
 * {@code jdk.unsupported}), reached by reflection so that nothing depends on it at compile time. A handled
 * signal no longer starts the JVM's shutdown: the handler decides.
 */
final class SignalHooks {
    private SignalHooks() {
    }

    /**
     * Routes {@code signal} (a name without {@code SIG}: "TERM", "HUP") to {@code handler}, called on a JVM
     * signal thread with the name.
     *
     * @return false if this JVM cannot catch it (no {@code sun.misc.Signal}, or the signal is reserved)
     */
    static boolean handle(String signal, Consumer<String> handler) {
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            Constructor<?> create = signalClass.getConstructor(String.class);
            Method register = signalClass.getMethod("handle", signalClass, handlerClass);
            Object proxy = Proxy.newProxyInstance(handlerClass.getClassLoader(), new Class<?>[] {handlerClass},
                    (self, method, args) -> {
                        switch (method.getName()) {
                            case "handle" -> handler.accept(signal);
                            case "hashCode" -> {
                                return System.identityHashCode(self);
                            }
                            case "equals" -> {
                                return self == args[0];
                            }
                            case "toString" -> {
                                return "SignalHooks[" + signal + "]";
                            }
                            default -> {
                            }
                        }
                        return null;
                    });
            register.invoke(null, create.newInstance(signal), proxy);
            return true;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return false;
        }
    }
}
