package io.mirrorhost.rbd.command;

import io.mirrorhost.api.cluster.AuthEntity;
import io.mirrorhost.api.format.TreeWriter;
import java.util.List;

/** How Ceph prints auth entities: a keyring ({@code KeyRing::encode_plaintext}), {@code auth ls}, json/xml. */
final class AuthListing {

    private AuthListing() {
    }

    /** {@code [client.x]}, a tab, {@code key = ...}, and with {@code withCaps} one {@code caps mon = "..."} per service. */
    static String keyring(AuthEntity entity, boolean withCaps) {
        StringBuilder out = new StringBuilder("[").append(entity.entity()).append("]\n")
                .append("\tkey = ").append(entity.key()).append('\n');
        if (withCaps) {
            entity.caps().forEach((service, cap) -> out.append("\tcaps ").append(service).append(" = \"")
                    .append(cap).append("\"\n"));
        }
        return out.toString();
    }

    /** {@code auth ls}: each entity, then {@code key: ...} and {@code caps: [mon] ...} lines, tab-indented. */
    static String plain(List<AuthEntity> entities) {
        StringBuilder out = new StringBuilder();
        for (AuthEntity entity : entities) {
            out.append(entity.entity()).append('\n').append("\tkey: ").append(entity.key()).append('\n');
            entity.caps().forEach((service, cap) -> out.append("\tcaps: [").append(service).append("] ")
                    .append(cap).append('\n'));
        }
        return out.toString();
    }

    /** One entity as Ceph's formatter writes it: {@code {"entity":...,"key":...,"caps":{"mon":...}}}. */
    static void entity(TreeWriter f, AuthEntity entity) {
        f.openObject("auth_entities").string("entity", entity.entity()).string("key", entity.key()).openObject("caps");
        entity.caps().forEach(f::string);
        f.close().close();
    }
}
