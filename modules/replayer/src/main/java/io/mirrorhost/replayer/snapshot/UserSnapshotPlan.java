package io.mirrorhost.replayer.snapshot;

import io.mirrorhost.api.cluster.SnapInfo;
import io.mirrorhost.api.cluster.SnapNamespace;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How one delta carries the user snapshots taken on the primary in between (rbd-mirror's
 * SnapshotCopyRequest): the delta is copied in segments, each ending at a user snapshot that the
 * copy then takes under the same name, the last one ending at the mirror-snapshot; local user
 * snapshots the primary no longer has go away.
 *
 * @param from      the remote snapshot the first pending segment starts from (null: the beginning)
 * @param segments  the remote user snapshots still to copy and take, oldest first
 * @param toRemove  names of local user snapshots to remove
 * @param toProtect names of local user snapshots to protect, as they are on the primary
 */
public record UserSnapshotPlan(Long from, List<SnapInfo> segments, List<String> toRemove, List<String> toProtect) {
    public UserSnapshotPlan {
        segments = List.copyOf(segments);
        toRemove = List.copyOf(toRemove);
        toProtect = List.copyOf(toProtect);
    }

    /**
     * @param remoteStart the remote mirror-snapshot already copied (null: full copy)
     * @param remoteEnd   the remote mirror-snapshot being copied
     * @param remote      every remote snapshot
     * @param local       every local snapshot
     */
    public static UserSnapshotPlan of(Long remoteStart, long remoteEnd, List<SnapInfo> remote, List<SnapInfo> local) {
        Set<String> localNames = names(local);
        Set<String> remoteNames = names(remote);
        Long from = remoteStart;
        List<SnapInfo> segments = new ArrayList<>();
        for (SnapInfo s : user(remote)) {
            boolean inDelta = (remoteStart == null || s.id() > remoteStart) && s.id() < remoteEnd;
            if (!inDelta) {
                continue;
            }
            if (localNames.contains(s.name())) {
                // taken by an earlier, interrupted run: the head already holds its data
                if (segments.isEmpty()) {
                    from = s.id();
                }
            } else {
                segments.add(s);
            }
        }
        List<String> toRemove = user(local).stream().map(SnapInfo::name).filter(n -> !remoteNames.contains(n)).toList();
        Set<String> localProtected = user(local).stream().filter(SnapInfo::isProtected).map(SnapInfo::name)
                .collect(Collectors.toSet());
        List<String> toProtect = user(remote).stream().filter(s -> s.id() < remoteEnd && s.isProtected())
                .map(SnapInfo::name).filter(n -> !localProtected.contains(n)).toList();
        return new UserSnapshotPlan(from, segments, toRemove, toProtect);
    }

    private static List<SnapInfo> user(List<SnapInfo> snaps) {
        return snaps.stream().filter(s -> s.namespace() == SnapNamespace.USER).toList();
    }

    private static Set<String> names(List<SnapInfo> snaps) {
        return user(snaps).stream().map(SnapInfo::name).collect(Collectors.toSet());
    }
}
