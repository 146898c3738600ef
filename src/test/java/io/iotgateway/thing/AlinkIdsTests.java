package io.iotgateway.thing;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.Set;

import io.iotgateway.testsupport.MutableClock;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AlinkIdsTests {

    private final MutableClock clock = new MutableClock();

    private final AlinkIds ids = new AlinkIds(this.clock);

    @Test
    void anIdIsTheSecondOfTheDayTimes49710PlusTheCountWithinThatSecond() {
        long secondOfDay = this.clock.instant().atZone(ZoneOffset.UTC).toLocalTime().toSecondOfDay();

        assertThat(this.ids.next()).isEqualTo(Long.toString(secondOfDay * 49_710));
        assertThat(this.ids.next()).isEqualTo(Long.toString(secondOfDay * 49_710 + 1));
        this.clock.advance(Duration.ofSeconds(1));
        assertThat(this.ids.next()).isEqualTo(Long.toString((secondOfDay + 1) * 49_710));
    }

    @Test
    void everyIdOfADayIsANumericStringWithinTheUnsigned32BitRangeAndNoneRepeats() {
        Set<String> seen = new HashSet<>();
        // 24 hours in steps of 7 s from 10:00, over midnight: unique in any 24 hours, whatever the day boundary
        for (int step = 0; step < 86_400 / 7; step++) {
            for (int i = 0; i < 3; i++) {
                String id = this.ids.next();
                assertThat(id).matches("[0-9]{1,10}");
                assertThat(Long.parseLong(id)).isBetween(0L, 4_294_967_295L);
                assertThat(seen.add(id)).as("id %s repeated", id).isTrue();
            }
            this.clock.advance(Duration.ofSeconds(7));
        }
    }

    @Test
    void theLastSecondOfTheDayStaysBelow2To32() {
        MutableClock endOfDay = at("2026-12-03T23:59:59.999Z");
        AlinkIds late = new AlinkIds(endOfDay);

        long id = Long.parseLong(late.next());

        assertThat(id).isEqualTo(86_399L * 49_710).isLessThan(1L << 32);
    }

    @Test
    void aClockThatGoesBackRepeatsNoId() {
        long first = Long.parseLong(this.ids.next());
        this.clock.advance(Duration.ofSeconds(-30));

        long second = Long.parseLong(this.ids.next());

        assertThat(second).isEqualTo(first + 1);
    }

    @Test
    void aNewDayStartsAgainFromItsSecond() {
        MutableClock clock = at("2026-12-03T23:59:59Z");
        AlinkIds ids = new AlinkIds(clock);
        ids.next();

        clock.advance(Duration.ofSeconds(2));

        assertThat(ids.next()).isEqualTo(Long.toString(49_710L));
    }

    private static MutableClock at(String instant) {
        MutableClock clock = new MutableClock();
        clock.advance(Duration.between(clock.instant(), Instant.parse(instant)));
        return clock;
    }
}
