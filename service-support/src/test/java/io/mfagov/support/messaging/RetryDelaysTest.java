package io.mfagov.support.messaging;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RetryDelaysTest {

    @Test
    void delaysDoubleFromTheFirstAndStopAtTheCap() {
        RetryDelays delays = new RetryDelays(Duration.ofMillis(200), Duration.ofSeconds(10));

        assertThat(delays.delay(1)).isEqualTo(Duration.ofMillis(200));
        assertThat(delays.delay(2)).isEqualTo(Duration.ofMillis(400));
        assertThat(delays.delay(6)).isEqualTo(Duration.ofMillis(6400));
        assertThat(delays.delay(7)).isEqualTo(Duration.ofSeconds(10));
        assertThat(delays.delay(10_000)).as("no overflow after many retries").isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void nonsensicalSettingsAreRefused() {
        assertThatThrownBy(() -> new RetryDelays(Duration.ZERO, Duration.ofSeconds(1)))
                .hasMessageContaining("initial");
        assertThatThrownBy(() -> new RetryDelays(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .hasMessageContaining("max");
    }
}
