package io.kube4j.kubelet.pod;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The Pulled events' messages, word for word as upstream's image manager writes them. */
class ImagePullMessagesTest {

    @Test
    void aPullSaysHowLongItTookAndHowBigTheImageIs() {
        assertThat(ImagePullMessages.pulled("busybox:latest", Duration.ofMillis(1200), Duration.ofMillis(1200), 1234))
                .isEqualTo("Successfully pulled image \"busybox:latest\" in 1.2s (1.2s including waiting). Image size: 1234 bytes.");
    }

    @Test
    void durationsAreTruncatedToTheMillisecondInGosForm() {
        assertThat(ImagePullMessages.pulled("nginx:1.27", Duration.ofNanos(850_999_999), Duration.ofSeconds(63, 500_400_000), 0))
                .isEqualTo("Successfully pulled image \"nginx:1.27\" in 850ms (1m3.5s including waiting). Image size: 0 bytes.");
        assertThat(ImagePullMessages.pulled("a", Duration.ofNanos(999_999), Duration.ofHours(1), 5))
                .isEqualTo("Successfully pulled image \"a\" in 0s (1h0m0s including waiting). Image size: 5 bytes.");
    }

    @Test
    void theSizeIsUnsigned() {
        assertThat(ImagePullMessages.pulled("a", Duration.ZERO, Duration.ZERO, -1))
                .endsWith("Image size: 18446744073709551615 bytes.");
    }

    @Test
    void aPresentImageIsNotPulled() {
        assertThat(ImagePullMessages.alreadyPresent("busybox"))
                .isEqualTo("Container image \"busybox\" already present on machine");
    }

    @Test
    void quotingIsGos() {
        assertThat(ImagePullMessages.quote("a\"b\\c\u0001")).isEqualTo("\"a\\\"b\\\\c\\x01\"");
    }
}
