package io.kube4j.apiserver.watchcache;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FanoutPacingTest {

    private static final long MS = 1_000_000;

    @Test
    void theFirstPassNeverWaits() {
        assertThat(new FanoutPacing().waitNanos(123 * MS)).isLessThanOrEqualTo(0);
    }

    @Test
    void aPassToAFewListenersDelaysNothing() {
        FanoutPacing pacing = new FanoutPacing();
        pacing.passDone(0, 10_000, 10);
        assertThat(pacing.waitNanos(10_000)).isLessThanOrEqualTo(0);
    }

    @Test
    void aPassToManyListenersSpacesTheNextByAFixedTimePerListener() {
        FanoutPacing pacing = new FanoutPacing();
        pacing.passDone(0, 2 * MS, 200);
        long pause = 200 * FanoutPacing.PAUSE_PER_LISTENER_NANOS;
        assertThat(pacing.waitNanos(2 * MS)).isEqualTo(pause);
        assertThat(pacing.waitNanos(2 * MS + pause / 2)).isEqualTo(pause / 2);
        // once the pause is over the next pass starts at once
        assertThat(pacing.waitNanos(2 * MS + pause)).isLessThanOrEqualTo(0);
        assertThat(pacing.waitNanos(2 * MS + pause + 5 * MS)).isLessThanOrEqualTo(0);
    }

    @Test
    void aPassThatWroteToNobodyDelaysNothingHoweverLongItTook() {
        FanoutPacing pacing = new FanoutPacing();
        pacing.passDone(0, MS, 500);
        pacing.passDone(10 * MS, 40 * MS, 0);
        assertThat(pacing.paced()).isFalse();
        assertThat(pacing.waitNanos(40 * MS)).isLessThanOrEqualTo(0);
    }

    @Test
    void aSlowPassWaitsAtLeastAsLongAsItTook() {
        FanoutPacing pacing = new FanoutPacing();
        pacing.passDone(10 * MS, 40 * MS, 20);
        assertThat(pacing.waitNanos(40 * MS)).isEqualTo(30 * MS);
    }

    @Test
    void thePauseIsCappedWhateverTheListenersOrThePassCost() {
        FanoutPacing pacing = new FanoutPacing();
        pacing.passDone(0, MS, 1_000_000);
        assertThat(pacing.waitNanos(MS)).isEqualTo(FanoutPacing.MAX_PAUSE_NANOS);
        pacing.passDone(0, 10 * FanoutPacing.MAX_PAUSE_NANOS, 5);
        assertThat(pacing.waitNanos(10 * FanoutPacing.MAX_PAUSE_NANOS)).isEqualTo(FanoutPacing.MAX_PAUSE_NANOS);
    }

    @Test
    void aLaterCheapPassLiftsThePacing() {
        FanoutPacing pacing = new FanoutPacing();
        pacing.passDone(0, MS, 500);
        assertThat(pacing.waitNanos(MS)).isPositive();
        // the listeners went away: the next pass served only a few, so the one after it does not wait
        pacing.passDone(100 * MS, 100 * MS + 5_000, 3);
        assertThat(pacing.waitNanos(100 * MS + 5_000)).isLessThanOrEqualTo(0);
    }
}
