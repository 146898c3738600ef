package io.iotgateway.thing;

import java.time.Clock;

/**
 * One device's Alink request ids: numeric strings 0..4294967295, unique per device per day, as the platform asks.
 * An id is {@code secondOfDay * 49710 + n}, n counting the device's requests within that second (86,400 x 49,710 =
 * 4,294,944,000 fits); the counter never goes back, also when the clock does. Because an id encodes its second of
 * the (UTC) day, ids of any 24 hours differ whatever the platform's day boundary. They repeat only if the device's
 * ids restart (a gateway restart, or a new connection after its old one was closed) within the second of an earlier
 * id: the counter lives with the device's connection and is not stored (docs/thing-model.md).
 */
final class AlinkIds {

    static final long PER_SECOND = 49_710;

    static final long SECONDS_PER_DAY = 86_400;

    private static final long MILLIS_PER_DAY = SECONDS_PER_DAY * 1000;

    private final Clock clock;

    // guarded by this: the day of the last id, and the last id
    private long day = Long.MIN_VALUE;

    private long last = -1;

    AlinkIds(Clock clock) {
        this.clock = clock;
    }

    synchronized String next() {
        long millis = this.clock.millis();
        long today = Math.floorDiv(millis, MILLIS_PER_DAY);
        if (today > this.day) {
            this.day = today;
            this.last = -1;
        }
        long secondOfDay = (today == this.day) ? Math.floorMod(millis, MILLIS_PER_DAY) / 1000 : 0;
        long id = Math.max(secondOfDay * PER_SECOND, this.last + 1);
        if (id >= SECONDS_PER_DAY * PER_SECOND) {
            // more than 49,710 requests a second for the rest of the day: far beyond the platform's 10 a second
            throw new IllegalStateException("The device's Alink ids for today are used up");
        }
        this.last = id;
        return Long.toString(id);
    }
}
