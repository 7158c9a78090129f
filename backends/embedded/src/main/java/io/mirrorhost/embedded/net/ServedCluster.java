package io.mirrorhost.embedded.net;

import io.mirrorhost.api.cluster.Cluster;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;

/** A cluster that is also being served: closing it stops the server, then closes the cluster. */
public final class ServedCluster {
    private ServedCluster() {
    }

    public static Cluster wrap(Cluster cluster, ClusterServer server) {
        return (Cluster) Proxy.newProxyInstance(Cluster.class.getClassLoader(), new Class<?>[] {Cluster.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("close") && method.getParameterCount() == 0) {
                        return server.close().transform(stopped -> cluster.close());
                    }
                    if (method.getDeclaringClass() == Object.class && method.getName().equals("equals")) {
                        return proxy == args[0];
                    }
                    if (method.getDeclaringClass() == Object.class && method.getName().equals("toString")) {
                        return "ServedCluster[" + server.address() + " " + cluster + "]";
                    }
                    try {
                        return method.invoke(cluster, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
