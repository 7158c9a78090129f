package io.mirrorhost.api.testing;

import io.mirrorhost.api.Site;
import java.util.List;
import java.util.Optional;

/** A site as the test states it. */
public record FakeSite(String instanceName, Optional<String> leaderName, List<String> instanceNames) implements Site {

    /** One instance, leading: how a site with no {@code [hazelcast]} section looks. */
    public static FakeSite alone(String instanceName) {
        return new FakeSite(instanceName, Optional.of(instanceName), List.of(instanceName));
    }
}
