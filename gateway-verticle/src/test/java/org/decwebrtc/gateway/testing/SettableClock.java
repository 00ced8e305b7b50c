package org.decwebrtc.gateway.testing;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock only the test moves, so the call and conference machines' timeouts run without waiting. */
public final class SettableClock extends Clock {
    private long millis = 1_000_000;

    public long millis() {
        return millis;
    }

    public void advance(long byMillis) {
        millis += byMillis;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis);
    }
}
