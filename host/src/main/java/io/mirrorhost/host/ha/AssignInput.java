package io.mirrorhost.host.ha;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What {@link ImageAssigner} decides from: the items offered, by scope; the live instances, oldest
 * first; the image map as stored; the release acknowledgements received since the last decision; now.
 */
public record AssignInput(Map<String, Set<String>> offered, List<String> instances, Map<ItemKey, MapEntry> current,
                          Set<ReleaseAck> acks, Instant now) {
}
