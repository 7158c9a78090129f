package io.mirrorhost.host.ha;

import java.time.Duration;
import java.util.List;

/**
 * A site's {@code [hazelcast]} section: how this instance joins the others of its site.
 *
 * @param members         every instance's member address ({@code host:port}), this one's included
 * @param port            this instance's member port
 * @param interfaceAddress the address this instance binds and is reached at
 * @param clusterName     the Hazelcast cluster (default: the site's name, so that two sites never merge)
 * @param heartbeatIntervalSeconds how often members beat
 * @param maxNoHeartbeatSeconds    silence after which a member is removed (SIGSTOP, a lost machine)
 * @param leaderBeat      how often the leader beats on the event bus
 * @param leaderSuspect   the leader's silence after which its designated successor takes over
 */
public record HazelcastConf(List<String> members, int port, String interfaceAddress, String clusterName,
                            int heartbeatIntervalSeconds, int maxNoHeartbeatSeconds, Duration leaderBeat,
                            Duration leaderSuspect) {
}
