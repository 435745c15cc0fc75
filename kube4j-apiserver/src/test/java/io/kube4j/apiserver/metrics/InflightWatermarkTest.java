package io.kube4j.apiserver.metrics;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code apiserver_current_inflight_requests} as upstream's watermark: the highest count noted in the last whole
 * second, a count noted each time a request starts or ends executing (the clock is a test's, in milliseconds).
 */
class InflightWatermarkTest {

    private final AtomicLong millis = new AtomicLong();
    private final InflightWatermark watermark = new InflightWatermark(() -> millis.get() * 1_000_000L);

    @Test
    void publishesTheLastWholeSecondsHighestCount() {
        watermark.enter();
        watermark.enter();
        watermark.enter();
        watermark.exit();
        watermark.exit();
        // still in the first second: nothing published yet
        assertThat(watermark.value()).isZero();
        millis.set(1_200);
        assertThat(watermark.value()).isEqualTo(3);
        // the one still executing is noted when another starts and ends in this second
        watermark.enter();
        watermark.exit();
        millis.set(2_000);
        assertThat(watermark.value()).isEqualTo(2);
    }

    @Test
    void aSecondWithoutStartsOrEndsPublishesZeroEvenWhileARequestExecutes() {
        watermark.enter();
        millis.set(1_500);
        assertThat(watermark.value()).isEqualTo(1);
        millis.set(2_500);
        assertThat(watermark.value()).isZero();
        millis.set(9_000);
        watermark.exit();
        assertThat(watermark.value()).isZero();
        millis.set(10_000);
        assertThat(watermark.value()).isZero();
    }

    @Test
    void secondsThatWentByUnseenPublishNothingOfEarlierOnes() {
        watermark.enter();
        watermark.enter();
        millis.set(3_000);
        // the second before this one had no starts or ends: upstream's reset watermark
        assertThat(watermark.value()).isZero();
        watermark.exit();
        millis.set(4_000);
        assertThat(watermark.value()).isEqualTo(1);
    }
}
