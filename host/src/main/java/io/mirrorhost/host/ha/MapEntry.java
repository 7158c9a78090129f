package io.mirrorhost.host.ha;

import java.time.Instant;
import java.util.Optional;

/**
 * Who owns an item in the image map: {@code owner} works on it; while {@code releasingTo} is present
 * the owner was asked to release it to that instance and the item moves when the release is
 * acknowledged. {@code since}: when the owner was given the item, or asked to release it.
 */
public record MapEntry(String owner, Optional<String> releasingTo, Instant since) {

    public static MapEntry assigned(String owner, Instant since) {
        return new MapEntry(owner, Optional.empty(), since);
    }

    public static MapEntry releasing(String owner, String to, Instant since) {
        return new MapEntry(owner, Optional.of(to), since);
    }

    public boolean isReleasing() {
        return releasingTo.isPresent();
    }
}
