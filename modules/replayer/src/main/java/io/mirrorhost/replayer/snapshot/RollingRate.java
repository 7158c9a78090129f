package io.mirrorhost.replayer.snapshot;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * rbd-mirror's TimeRollingMean for {@code bytes_per_second}: bytes are summed per whole second and
 * the rate is the mean of those sums over the last {@code windowSeconds} seconds, idle seconds
 * counting as zero.
 */
public final class RollingRate {
    private final int windowSeconds;
    private final Deque<long[]> buckets = new ArrayDeque<>();

    public RollingRate(int windowSeconds) {
        if (windowSeconds < 1) {
            throw new IllegalArgumentException("the window must be at least one second");
        }
        this.windowSeconds = windowSeconds;
    }

    public void add(Instant at, long bytes) {
        long second = at.getEpochSecond();
        long[] last = buckets.peekLast();
        if (last != null && last[0] == second) {
            last[1] += bytes;
        } else {
            buckets.addLast(new long[] {second, bytes});
        }
        expire(second);
    }

    public double perSecond(Instant now) {
        expire(now.getEpochSecond());
        long sum = 0;
        for (long[] b : buckets) {
            sum += b[1];
        }
        return (double) sum / windowSeconds;
    }

    private void expire(long nowSecond) {
        while (!buckets.isEmpty() && buckets.peekFirst()[0] <= nowSecond - windowSeconds) {
            buckets.removeFirst();
        }
    }
}
