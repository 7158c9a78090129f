package io.mirrorhost.host.ha;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The site's shared record in Hazelcast ({@value HazelcastSite#SITE_MAP}, backed up on every member): the
 * leader announced and its epoch, the epoch a lock holder is about to take ({@code intent}, published
 * before the take so that a successor knows it even if the taker dies), the instances the leader last
 * listed, and the map's own epoch, raised on each change of leader or instances.
 */
record SiteMap(long epoch, Optional<String> leader, long leaderEpoch, long intent, List<String> instances) {
    /** A site formed afresh: no epoch known ({@code intent} -1) until a lock holder learns the stored one. */
    static final SiteMap NONE = new SiteMap(0, Optional.empty(), 0, -1, List.of());

    /** The largest leader epoch this record tells of; empty for a site formed afresh. */
    OptionalLong known() {
        long known = Math.max(leaderEpoch, intent);
        return known < 0 ? OptionalLong.empty() : OptionalLong.of(known);
    }

    SiteMap intending(long epoch) {
        return new SiteMap(this.epoch, leader, leaderEpoch, epoch, instances);
    }

    SiteMap announcing(String name, long termEpoch, List<String> members) {
        return new SiteMap(Math.max(epoch + 1, termEpoch), Optional.of(name), termEpoch, intent, members);
    }

    SiteMap withdrawn() {
        return new SiteMap(epoch + 1, Optional.empty(), leaderEpoch, intent, instances);
    }

    SiteMap listing(List<String> members) {
        return new SiteMap(epoch + 1, leader, leaderEpoch, intent, members);
    }

    SiteStatus status(List<String> live) {
        return new SiteStatus(epoch, leader, leaderEpoch, live);
    }

    String toJson() {
        return new JsonObject().put("epoch", epoch).put("leader", leader.orElse(null)).put("leader_epoch", leaderEpoch)
                .put("intent", intent).put("instances", new JsonArray(instances)).encode();
    }

    static SiteMap fromJson(String json) {
        if (json == null) {
            return NONE;
        }
        JsonObject o = new JsonObject(json);
        return new SiteMap(o.getLong("epoch"), Optional.ofNullable(o.getString("leader")), o.getLong("leader_epoch"),
                o.getLong("intent"), o.getJsonArray("instances").stream().map(String::valueOf).toList());
    }
}
