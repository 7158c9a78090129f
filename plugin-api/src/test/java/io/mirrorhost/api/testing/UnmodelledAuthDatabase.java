package io.mirrorhost.api.testing;

import io.mirrorhost.api.cluster.AuthDatabase;
import io.mirrorhost.api.cluster.AuthEntity;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;

/**
 * {@link AuthDatabase} answering every call as not modelled ({@link RoleFakes}): a fake playing the role
 * implements this and overrides only the calls it models.
 */
public interface UnmodelledAuthDatabase extends AuthDatabase {

    @Override
    default Future<AuthEntity> authGetOrCreate(String entity, Map<String, String> caps) {
        return RoleFakes.notModelled("Cluster.authGetOrCreate");
    }

    @Override
    default Future<AuthEntity> authGet(String entity) {
        return RoleFakes.notModelled("Cluster.authGet");
    }

    @Override
    default Future<List<AuthEntity>> authList() {
        return RoleFakes.notModelled("Cluster.authList");
    }

    @Override
    default Future<Boolean> authRemove(String entity) {
        return RoleFakes.notModelled("Cluster.authRemove");
    }
}
