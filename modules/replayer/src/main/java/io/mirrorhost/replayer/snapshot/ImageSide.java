package io.mirrorhost.replayer.snapshot;

import io.mirrorhost.api.cluster.MirrorImageInfo;
import io.mirrorhost.api.cluster.MirrorImageState;
import io.mirrorhost.api.cluster.SnapInfo;
import io.mirrorhost.api.cluster.SnapNamespace;
import java.util.Comparator;
import java.util.List;

/**
 * One copy of a mirrored image as the replayer sees it at one moment: its name (null when not
 * read), its mirroring record and its mirror-snapshots (other snapshots are dropped), oldest first.
 */
public record ImageSide(String name, MirrorImageInfo info, List<SnapInfo> mirrorSnaps) {
    public ImageSide(MirrorImageInfo info, List<SnapInfo> mirrorSnaps) {
        this(null, info, mirrorSnaps);
    }

    public ImageSide {
        mirrorSnaps = mirrorSnaps.stream()
                .filter(s -> s.namespace() == SnapNamespace.MIRROR && s.mirror() != null)
                .sorted(Comparator.comparingLong(SnapInfo::id))
                .toList();
    }

    public Promotion promotion() {
        return Promotion.of(mirrorSnaps);
    }

    public boolean disabling() {
        return info != null && info.state() == MirrorImageState.DISABLING;
    }

    public SnapInfo newest() {
        return mirrorSnaps.isEmpty() ? null : mirrorSnaps.get(mirrorSnaps.size() - 1);
    }

    public SnapInfo byId(long id) {
        return mirrorSnaps.stream().filter(s -> s.id() == id).findFirst().orElse(null);
    }
}
