package io.mirrorhost.api.cluster;

import io.vertx.core.Future;
import java.util.List;

/**
 * How clients sharing an image coordinate: the exclusive lock ({@code rbd_lock_acquire / release /
 * get_owners / break}), taken by a writer before it writes and listed or broken by {@code rbd lock}
 * commands, and the header watch ({@code rbd_update_watch}), which tells a client such as the
 * replayer that the image changed so it need not poll.
 */
public interface ImageLockAndWatch {

    Future<Void> lockAcquire();

    Future<Void> lockRelease();

    Future<List<String>> lockOwners();

    Future<Void> lockBreak(String owner);

    /** Calls {@code onUpdate} whenever the image's header changes (size, snapshots, features, mirroring). */
    Future<Watch> updateWatch(Runnable onUpdate);
}
