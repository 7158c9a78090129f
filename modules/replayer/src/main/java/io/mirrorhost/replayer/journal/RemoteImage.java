package io.mirrorhost.replayer.journal;

import io.mirrorhost.api.cluster.JournalTag;
import io.mirrorhost.api.cluster.MirrorImageInfo;
import io.mirrorhost.api.cluster.MirrorImageState;
import java.util.List;
import java.util.Optional;

/** The remote image as the journal replayer sees it: its mirroring record and its journal's tags, oldest first. */
public record RemoteImage(MirrorImageInfo info, List<JournalTag> tags) {

    public boolean primary() {
        return info.primary();
    }

    public boolean disabling() {
        return info.state() == MirrorImageState.DISABLING;
    }

    public Optional<JournalTag> tag(long tid) {
        return tags.stream().filter(t -> t.tid() == tid).findFirst();
    }
}
