package io.mfagov.scanner.graph;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Retry timing of Graph reads, without Graph. */
class GraphRetryDelayTest {

    private static final Duration BASE = Duration.ofMillis(500);
    private static final Duration CA_INTERVAL = Duration.ofSeconds(1);
    private static final Duration MAX = Duration.ofSeconds(30);

    @Test
    void withoutRetryAfterTheWaitDoublesPerAttemptUpToTheMaximum() {
        assertThat(GraphReads.retryDelay(0, null, false, BASE, CA_INTERVAL, MAX)).isEqualTo(Duration.ofMillis(500));
        assertThat(GraphReads.retryDelay(1, null, false, BASE, CA_INTERVAL, MAX)).isEqualTo(Duration.ofSeconds(1));
        assertThat(GraphReads.retryDelay(3, null, false, BASE, CA_INTERVAL, MAX)).isEqualTo(Duration.ofSeconds(4));
        assertThat(GraphReads.retryDelay(6, null, false, BASE, CA_INTERVAL, MAX)).isEqualTo(MAX);
        assertThat(GraphReads.retryDelay(1_000, null, false, BASE, CA_INTERVAL, MAX)).as("no overflow").isEqualTo(MAX);
    }

    @Test
    void conditionalAccessReadsWaitAtLeastThePacingInterval() {
        assertThat(GraphReads.retryDelay(0, null, true, BASE, CA_INTERVAL, MAX)).isEqualTo(CA_INTERVAL);
        assertThat(GraphReads.retryDelay(2, null, true, BASE, CA_INTERVAL, MAX)).isEqualTo(Duration.ofSeconds(4));
    }

    @Test
    void graphsRetryAfterWinsButIsCapped() {
        assertThat(GraphReads.retryDelay(5, Duration.ofSeconds(2), false, BASE, CA_INTERVAL, MAX))
                .isEqualTo(Duration.ofSeconds(2));
        assertThat(GraphReads.retryDelay(0, Duration.ofMinutes(5), true, BASE, CA_INTERVAL, MAX)).isEqualTo(MAX);
    }
}
