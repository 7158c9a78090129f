package io.mirrorhost.host.ha;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The leader's image map policy, rbd-mirror's {@code SimplePolicy}: a new item goes to the live
 * instance with the fewest items (ties to the oldest); the items of an instance that is gone move at
 * once (the item's fence stops a paused owner); when an instance joins, each instance above
 * {@code max(1, items / instances)} releases its newest items, not those it got within the migration
 * throttle, to the instances below it, and an item moves only when its owner acknowledged the release
 * or did not within the release timeout. Pure: the shell stores the map and tells the instances.
 */
public final class ImageAssigner {
    /** rbd-mirror's {@code rbd_mirror_image_policy_migration_throttle} is 300 s; a site of hosts rebalances sooner. */
    public static final Duration MIGRATION_THROTTLE = Duration.ofSeconds(30);
    public static final Duration RELEASE_TIMEOUT = Duration.ofSeconds(10);

    private final Duration migrationThrottle;
    private final Duration releaseTimeout;

    public ImageAssigner(Duration migrationThrottle, Duration releaseTimeout) {
        this.migrationThrottle = migrationThrottle;
        this.releaseTimeout = releaseTimeout;
    }

    /** The map after applying {@code input}; with no live instance nothing can move and nothing changes. */
    public Assignment assign(AssignInput input) {
        if (input.instances().isEmpty()) {
            return new Assignment(input.current(), List.of());
        }
        Decision decision = new Decision(input);
        decision.settleMapped();
        decision.mapNew();
        decision.rebalance();
        return new Assignment(Map.copyOf(decision.map), List.copyOf(decision.changes));
    }

    /** One decision's working state: the map being built, each live instance's load, the changes so far. */
    private final class Decision {
        private final AssignInput input;
        private final Set<String> live;
        private final TreeMap<ItemKey, MapEntry> map;
        private final Map<String, Integer> loads = new HashMap<>();
        private final List<AssignChange> changes = new ArrayList<>();

        Decision(AssignInput input) {
            this.input = input;
            this.live = new HashSet<>(input.instances());
            this.map = new TreeMap<>(input.current());
            input.instances().forEach(instance -> loads.put(instance, 0));
            map.values().forEach(entry -> loads.computeIfPresent(countedFor(entry), (i, n) -> n + 1));
        }

        /** Unmaps withdrawn items; moves the items of gone owners and those whose release ended. */
        void settleMapped() {
            for (Map.Entry<ItemKey, MapEntry> mapped : List.copyOf(map.entrySet())) {
                ItemKey key = mapped.getKey();
                MapEntry entry = mapped.getValue();
                if (!offered(key)) {
                    put(key, null);
                    changes.add(new AssignChange.Unmap(key, entry.owner()));
                } else if (!live.contains(entry.owner()) || entry.isReleasing() && releaseEnded(key, entry)) {
                    String to = entry.releasingTo().filter(live::contains).orElseGet(() -> fewest(null));
                    acquire(key, to);
                }
            }
        }

        void mapNew() {
            new TreeMap<>(input.offered()).forEach((scope, items) -> items.stream().sorted()
                .map(item -> new ItemKey(scope, item))
                .filter(key -> !map.containsKey(key))
                .forEach(key -> acquire(key, fewest(null))));
        }

        /** Each instance above its share releases its newest movable items to instances below it. */
        void rebalance() {
            int share = Math.max(1, map.size() / live.size());
            for (String instance : input.instances()) {
                while (loads.get(instance) > share) {
                    String to = fewest(instance);
                    Optional<ItemKey> movable = newestMovable(instance);
                    if (loads.get(to) >= share || movable.isEmpty()) {
                        break;
                    }
                    put(movable.get(), MapEntry.releasing(instance, to, input.now()));
                    changes.add(new AssignChange.Release(movable.get(), instance, to));
                }
            }
        }

        private Optional<ItemKey> newestMovable(String owner) {
            return map.entrySet().stream()
                .filter(e -> e.getValue().owner().equals(owner) && !e.getValue().isReleasing())
                .filter(e -> !e.getValue().since().plus(migrationThrottle).isAfter(input.now()))
                .max(Comparator.comparing((Map.Entry<ItemKey, MapEntry> e) -> e.getValue().since())
                    .thenComparing(Map.Entry::getKey))
                .map(Map.Entry::getKey);
        }

        private boolean offered(ItemKey key) {
            return input.offered().getOrDefault(key.scope(), Set.of()).contains(key.item());
        }

        private boolean releaseEnded(ItemKey key, MapEntry entry) {
            return input.acks().contains(new ReleaseAck(key, entry.owner()))
                || !entry.since().plus(releaseTimeout).isAfter(input.now());
        }

        private void acquire(ItemKey key, String to) {
            put(key, MapEntry.assigned(to, input.now()));
            changes.add(new AssignChange.Acquire(key, to));
        }

        private void put(ItemKey key, MapEntry entry) {
            MapEntry before = entry == null ? map.remove(key) : map.put(key, entry);
            if (before != null) {
                loads.computeIfPresent(countedFor(before), (i, n) -> n - 1);
            }
            if (entry != null) {
                loads.computeIfPresent(countedFor(entry), (i, n) -> n + 1);
            }
        }

        /** An item on its way to a live instance counts for it already; one released to a gone instance stays its owner's. */
        private String countedFor(MapEntry entry) {
            return entry.releasingTo().filter(live::contains).orElse(entry.owner());
        }

        /** The live instance with the fewest items, oldest first on a tie, other than {@code except}. */
        private String fewest(String except) {
            String best = null;
            for (String instance : input.instances()) {
                if (!instance.equals(except) && (best == null || loads.get(instance) < loads.get(best))) {
                    best = instance;
                }
            }
            return best;
        }
    }
}
