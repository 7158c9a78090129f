package io.mirrorhost.replayer.snapshot;

import java.time.Duration;
import java.time.Instant;

/**
 * A token bucket shared by every copy of a site: {@code bytesPerSecond} on average, bursts of up to
 * one second's worth. It only computes waits; the caller waits on its clock. Zero means unlimited.
 */
public final class BandwidthLimiter {
    private long bytesPerSecond;
    private double tokens;
    private Instant last;

    public BandwidthLimiter(long bytesPerSecond) {
        setLimit(bytesPerSecond);
    }

    public synchronized void setLimit(long bytesPerSecond) {
        if (bytesPerSecond < 0) {
            throw new IllegalArgumentException("the bandwidth limit must not be negative");
        }
        this.bytesPerSecond = bytesPerSecond;
        this.tokens = bytesPerSecond;
        this.last = null;
    }

    /** Takes {@code bytes} from the bucket and says how long to wait before sending them. */
    public synchronized Duration reserve(long bytes, Instant now) {
        if (bytesPerSecond == 0) {
            return Duration.ZERO;
        }
        if (last != null && now.isAfter(last)) {
            double refill = Duration.between(last, now).toNanos() / 1e9 * bytesPerSecond;
            tokens = Math.min(bytesPerSecond, tokens + refill);
        }
        last = last == null || now.isAfter(last) ? now : last;
        tokens -= bytes;
        if (tokens >= 0) {
            return Duration.ZERO;
        }
        return Duration.ofNanos((long) Math.ceil(-tokens / bytesPerSecond * 1e9));
    }
}
