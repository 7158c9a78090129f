package io.mirrorhost.api.testing;

import io.mirrorhost.api.Errno;
import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.Image;
import io.vertx.core.Future;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * A whole {@link Cluster} or {@link Image} assembled from test fakes that each implement some of its
 * role interfaces ({@code Pools}, {@code ImageData}, ...) with {@code @Override}, for code under test
 * that takes the whole: a module, which gets the cluster from its context, or a fake cluster's
 * {@code openImage}. Each call goes to the fake implementing the role that declares the method, so
 * renaming an SPI method breaks the compilation of every fake of its role. A call of a role that no
 * fake implements fails with EOPNOTSUPP ({@code Cluster.mirrorUuidGet is not modelled by this fake}),
 * as a backend lacking the call answers, and the test sees the role it must add.
 *
 * <p>A fake that models only some calls of a role implements the role's {@code Unmodelled} interface
 * instead ({@code UnmodelledPools} for {@code Pools}, {@code UnmodelledImageData} for {@code ImageData}:
 * the prefix {@code Unmodelled} and the role's name), whose default methods answer every call in the
 * same way, and overrides only the calls it models. Those defaults carry {@code @Override} too, so a
 * renamed SPI method still breaks the compilation of the interface and of the fakes overriding it.
 * A call returning no {@link Future} throws {@link UnsupportedOperationException} with the same message.
 */
public final class RoleFakes {
    private RoleFakes() {
    }

    public static Cluster cluster(Object... fakes) {
        return assemble(Cluster.class, fakes);
    }

    public static Image image(Object... fakes) {
        return assemble(Image.class, fakes);
    }

    private static <T> T assemble(Class<T> whole, Object... fakes) {
        Map<Class<?>, Object> byRole = new HashMap<>();
        for (Object fake : fakes) {
            boolean playsARole = false;
            for (Class<?> role : whole.getInterfaces()) {
                if (role.isInstance(fake)) {
                    playsARole = true;
                    if (byRole.putIfAbsent(role, fake) != null) {
                        throw new IllegalArgumentException("two fakes implement " + role.getSimpleName());
                    }
                }
            }
            if (!playsARole) {
                throw new IllegalArgumentException(fake + " implements no role of " + whole.getSimpleName());
            }
        }
        String description = whole.getSimpleName() + "(" + Arrays.toString(fakes) + ")";
        Object proxy = Proxy.newProxyInstance(whole.getClassLoader(), new Class<?>[] {whole}, (self, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "equals" -> self == args[0];
                    case "hashCode" -> System.identityHashCode(self);
                    default -> description;
                };
            }
            Object fake = byRole.get(method.getDeclaringClass());
            return fake == null ? notModelled(whole, method) : invoke(method, fake, args);
        });
        return whole.cast(proxy);
    }

    /** The answer to {@code call} ({@code Cluster.mirrorUuidGet}) from a fake that does not model it. */
    public static <T> Future<T> notModelled(String call) {
        return Future.failedFuture(new ClusterException(Errno.EOPNOTSUPP, call + " is not modelled by this fake"));
    }

    /** What a call ({@code Image.spec}) returning no {@link Future} throws from a fake that does not model it. */
    static UnsupportedOperationException notModelledException(String call) {
        return new UnsupportedOperationException(call + " is not modelled by this fake");
    }

    private static Object notModelled(Class<?> whole, Method method) {
        String call = whole.getSimpleName() + "." + method.getName();
        if (method.getReturnType() == Future.class) {
            return notModelled(call);
        }
        throw notModelledException(call);
    }

    private static Object invoke(Method method, Object fake, Object[] args) throws Throwable {
        try {
            return method.invoke(fake, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
