package io.mirrorhost.embedded;

import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.ClusterException;
import io.mirrorhost.api.cluster.FenceToken;
import io.mirrorhost.api.cluster.Image;
import io.mirrorhost.embedded.net.CallKinds;
import io.vertx.core.Future;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * {@link Cluster#fenced} of the embedded store: a view whose state-changing calls, and those of the
 * images opened through it, run only while {@link Fences} admits its token, and count as running
 * until they complete. Closing the view leaves the cluster open; fencing it again fences the cluster.
 */
final class FencedView {
    private final Cluster cluster;
    private final FenceToken token;
    private final Fences fences;

    private FencedView(Cluster cluster, FenceToken token, Fences fences) {
        this.cluster = cluster;
        this.token = token;
        this.fences = fences;
    }

    static Cluster of(Cluster cluster, FenceToken token, Fences fences) {
        FencedView view = new FencedView(cluster, token, fences);
        return (Cluster) Proxy.newProxyInstance(Cluster.class.getClassLoader(), new Class<?>[] {Cluster.class},
            view.handler("Cluster", cluster));
    }

    private InvocationHandler handler(String facade, Object target) {
        String description = "Fenced[" + token + " " + target + "]";
        return (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    default -> description;
                };
            }
            if (method.isDefault()) {
                return InvocationHandler.invokeDefault(proxy, method, args);
            }
            if (target == cluster && method.getName().equals("close")) {
                return Future.succeededFuture();
            }
            if (target == cluster && method.getName().equals("fenced")) {
                return cluster.fenced((FenceToken) args[0]);
            }
            String call = facade + "." + method.getName();
            if (method.getReturnType() != Future.class || !CallKinds.isFenced(call)) {
                return wrapImage(invoke(method, target, args));
            }
            try {
                fences.enter(token, call, cluster.clientName());
            } catch (ClusterException refused) {
                return Future.failedFuture(refused);
            }
            Future<?> result;
            try {
                result = (Future<?>) invoke(method, target, args);
            } catch (Throwable failure) {
                fences.exit(token);
                throw failure;
            }
            return wrapImage(result.andThen(done -> fences.exit(token)));
        };
    }

    private static Object invoke(Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** An image opened through the view is fenced by the same token. */
    private Object wrapImage(Object result) {
        if (result instanceof Future<?> future) {
            return future.map(value -> value instanceof Image image ? fencedImage(image) : value);
        }
        return result;
    }

    private Image fencedImage(Image image) {
        return (Image) Proxy.newProxyInstance(Image.class.getClassLoader(), new Class<?>[] {Image.class},
            handler("Image", image));
    }
}
