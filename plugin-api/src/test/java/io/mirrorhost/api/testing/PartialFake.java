package io.mirrorhost.api.testing;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.ClusterException;
import io.vertx.core.Future;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Arrays;

/**
 * A test double for a wide interface ({@code Cluster}, {@code Image}) that implements only what a
 * test needs: calls go to the public method of {@code impl} with the same name and parameter types;
 * any other call fails (a failed future with EOPNOTSUPP for future-returning methods), so a test
 * notices when the code under test reaches for something the fake does not model.
 */
public final class PartialFake {
    private PartialFake() {
    }

    public static <T> T of(Class<T> iface, Object impl) {
        Object proxy = Proxy.newProxyInstance(iface.getClassLoader(), new Class<?>[] {iface}, (self, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return objectMethod(self, method, args, impl);
            }
            Method target = find(impl.getClass(), method);
            if (target == null) {
                String what = iface.getSimpleName() + "." + method.getName() + " is not modelled by this fake";
                if (Future.class.isAssignableFrom(method.getReturnType())) {
                    return Future.failedFuture(new ClusterException(Errno.EOPNOTSUPP, what));
                }
                throw new UnsupportedOperationException(what);
            }
            try {
                target.setAccessible(true);
                return target.invoke(impl, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
        return iface.cast(proxy);
    }

    private static Method find(Class<?> type, Method method) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Method candidate : c.getDeclaredMethods()) {
                if (candidate.getName().equals(method.getName())
                        && Arrays.equals(candidate.getParameterTypes(), method.getParameterTypes())) {
                    return candidate;
                }
            }
        }
        return null;
    }

    private static Object objectMethod(Object self, Method method, Object[] args, Object impl) {
        return switch (method.getName()) {
            case "equals" -> self == args[0];
            case "hashCode" -> System.identityHashCode(self);
            default -> "PartialFake(" + impl.getClass().getSimpleName() + ")";
        };
    }
}
