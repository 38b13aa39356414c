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

    @Test
    void retryAfterIsHonouredUpToFiveMinutesByDefault() {
        io.mfagov.scanner.config.ScannerSettings defaults =
                io.mfagov.scanner.config.ScannerSettings.staticToken("http://127.0.0.1/v1.0", "t");
        assertThat(defaults.maxRetryDelay()).isGreaterThanOrEqualTo(Duration.ofMinutes(5));
        assertThat(GraphReads.retryDelay(0, Duration.ofMinutes(4), false, defaults.retryBaseDelay(),
                defaults.caInterval(), defaults.maxRetryDelay())).isEqualTo(Duration.ofMinutes(4));
    }

    @Test
    void aThrottledCaReadBacksOffWithJitterForAtLeastSixtySecondsByDefault() {
        io.mfagov.scanner.config.ScannerSettings defaults =
                io.mfagov.scanner.config.ScannerSettings.staticToken("http://127.0.0.1/v1.0", "t");
        assertThat(defaults.caRetryBudget()).isGreaterThanOrEqualTo(Duration.ofSeconds(60));
        // the loop of GraphReads.call for a CA read: retry while less than the budget has been waited
        for (double random : new double[] {0.0, 0.5, 0.999}) {
            Duration waited = Duration.ZERO;
            int attempt = 0;
            while (waited.compareTo(defaults.caRetryBudget()) < 0) {
                Duration d = GraphReads.caRetryDelay(attempt++, defaults.caInterval(), random);
                assertThat(d).isLessThanOrEqualTo(GraphReads.CA_MAX_STEP.multipliedBy(3).dividedBy(2));
                waited = waited.plus(d);
            }
            assertThat(waited).as("waited before the read counts as failed").isGreaterThanOrEqualTo(Duration.ofSeconds(60));
            assertThat(attempt).as("retries, never endless").isBetween(5, 12);
        }
        assertThat(GraphReads.caRetryDelay(3, Duration.ofSeconds(1), 0.0))
                .as("jitter spreads the retries of many scans").isNotEqualTo(GraphReads.caRetryDelay(3, Duration.ofSeconds(1), 0.9));
    }
}
