/**
 * The embedded cluster over the network: {@link io.mirrorhost.embedded.net.ClusterServer} serves any
 * {@link io.mirrorhost.api.cluster.Cluster}, {@link io.mirrorhost.embedded.net.RemoteCluster} is the
 * client, {@link io.mirrorhost.embedded.net.AuthRegistry} the named clients allowed in.
 *
 * <p>Wire protocol (version 1), over TCP or TLS. Every message is a frame
 * {@code [int32 n][int32 h][h bytes of JSON header][blob bytes]}, {@code n} counting everything after
 * itself, the header's {@code blobs} listing blob lengths. Buffers (image data, notify payloads) are
 * blobs, never base64. Header {@code t} is the type:
 * <ul>
 *   <li>{@code hello} (server, on connect): {@code version}, {@code nonce} (32 random bytes, base64);</li>
 *   <li>{@code auth} (client): {@code client}, {@code proof} = HMAC-SHA256(key, nonce || client name);
 *       answered {@code auth_ok} ({@code fsid}, {@code caps}) or {@code auth_failed}, then closed;</li>
 *   <li>{@code call} (client): {@code id}, {@code target} (cluster, image, watch), {@code h} (image or
 *       watch handle), {@code m} (method), {@code args} (JSON by the SPI method's generic parameter
 *       types; Buffer arguments are blobs, callbacks carry the call id);</li>
 *   <li>{@code result} (server): {@code id}, {@code ok}, then {@code result} (an opened image is
 *       {@code {handle, spec, snapId}}) or {@code errno} (Errno name) and {@code message};</li>
 *   <li>{@code event} (server): {@code watch} (the id of the call that registered it), payload blob;</li>
 *   <li>{@code ping}/{@code pong}: keepalive.</li>
 * </ul>
 * Which calls a client may make is {@link io.mirrorhost.embedded.net.CallPolicy}'s decision.
 */
package io.mirrorhost.embedded.net;
