package io.mirrorhost.host.ha;

import java.util.List;
import java.util.Optional;

/**
 * The site map as {@code mgr stat} and {@code mgr dump} show it.
 *
 * @param epoch       the site map's epoch: raised on every change of leader or instances, never below the leader epoch
 * @param leader      the instance leading, if one is announced
 * @param leaderEpoch the leader's term (the leader fence's epoch)
 * @param instances   the live instances, oldest first
 */
public record SiteStatus(long epoch, Optional<String> leader, long leaderEpoch, List<String> instances) {
}
