package io.mirrorhost.embedded.net;

import com.fasterxml.jackson.databind.JavaType;
import io.mirrorhost.api.cluster.Cluster;
import io.mirrorhost.api.cluster.Image;
import io.mirrorhost.api.cluster.Watch;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A method of Cluster, Image or Watch that can be called over the wire, with how each argument and
 * the result travel: JSON (Jackson, typed by the method's generic signature), a raw blob for a
 * {@link Buffer}, a callback id for a watch callback, or a handle for an opened Image or Watch.
 * Both ends derive the protocol from the SPI interfaces, so a new SPI method needs no codec code.
 */
record RemoteCall(String name, Method method, List<Param> params, Result result, JavaType resultType) {

    enum Param { JSON, BUFFER, NOTIFY_CALLBACK, UPDATE_CALLBACK }

    enum Result { VOID, JSON, BUFFER, IMAGE, WATCH }

    /** Answered by the client proxy itself, never sent. */
    private static final Set<String> LOCAL = Set.of(
            "Cluster.fsid", "Cluster.clientName", "Cluster.close", "Cluster.fenced", "Image.spec", "Image.snapId");

    private static final List<Class<?>> FACADES = List.of(Cluster.class, Image.class, Watch.class);

    private static final Map<String, RemoteCall> BY_NAME = catalogue();

    static Optional<RemoteCall> find(String target, String method) {
        String type = switch (target) {
            case Wire.TARGET_CLUSTER -> "Cluster";
            case Wire.TARGET_IMAGE -> "Image";
            case Wire.TARGET_WATCH -> "Watch";
            default -> "?";
        };
        return Optional.ofNullable(BY_NAME.get(type + "." + method));
    }

    static RemoteCall of(Method method) {
        RemoteCall call = BY_NAME.get(qualifiedName(method));
        if (call == null) {
            throw new IllegalArgumentException(qualifiedName(method) + " is not a remote call");
        }
        return call;
    }

    String target() {
        Class<?> owner = facade(method);
        return owner == Cluster.class ? Wire.TARGET_CLUSTER : owner == Image.class ? Wire.TARGET_IMAGE : Wire.TARGET_WATCH;
    }

    JavaType paramType(int index) {
        return Wire.MAPPER.getTypeFactory().constructType(method.getGenericParameterTypes()[index]);
    }

    private static Map<String, RemoteCall> catalogue() {
        Map<String, RemoteCall> calls = new HashMap<>();
        for (Class<?> type : FACADES) {
            for (Method method : type.getMethods()) {
                String name = qualifiedName(method);
                // default methods are overloads answered by the proxy through the abstract ones
                if (!LOCAL.contains(name) && !method.isDefault()) {
                    calls.put(name, describe(name, method));
                }
            }
        }
        return Map.copyOf(calls);
    }

    /** Named after Cluster, Image or Watch, not after the role interface that declares the method. */
    private static String qualifiedName(Method method) {
        return facade(method).getSimpleName() + "." + method.getName();
    }

    private static Class<?> facade(Method method) {
        for (Class<?> type : FACADES) {
            if (method.getDeclaringClass().isAssignableFrom(type)) {
                return type;
            }
        }
        throw new IllegalArgumentException(method + " belongs to none of " + FACADES);
    }

    private static RemoteCall describe(String name, Method method) {
        List<Param> params = new ArrayList<>();
        for (Type type : method.getGenericParameterTypes()) {
            params.add(paramKind(name, type));
        }
        Type valueType = futureValueType(name, method.getGenericReturnType());
        Result result = valueType == Void.class ? Result.VOID
                : valueType == Buffer.class ? Result.BUFFER
                : valueType == Image.class ? Result.IMAGE
                : valueType == Watch.class ? Result.WATCH
                : Result.JSON;
        return new RemoteCall(name, method, List.copyOf(params), result,
                Wire.MAPPER.getTypeFactory().constructType(valueType));
    }

    private static Param paramKind(String name, Type type) {
        if (type == Buffer.class) {
            return Param.BUFFER;
        }
        if (type == Runnable.class) {
            return Param.UPDATE_CALLBACK;
        }
        if (type instanceof ParameterizedType p && p.getRawType() == Consumer.class) {
            if (p.getActualTypeArguments()[0] != Buffer.class) {
                throw new IllegalStateException(name + ": only Consumer<Buffer> callbacks can be sent");
            }
            return Param.NOTIFY_CALLBACK;
        }
        return Param.JSON;
    }

    private static Type futureValueType(String name, Type returnType) {
        if (returnType instanceof ParameterizedType p && p.getRawType() == Future.class) {
            return p.getActualTypeArguments()[0];
        }
        throw new IllegalStateException(name + " does not return a Future and cannot be called remotely");
    }
}
