package io.mfagov.notifier.delivery;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Delivery retry timing: exponential steps with equal jitter (half fixed, half random), capped. */
class BackoffTest {

    private static final Duration INITIAL = Duration.ofSeconds(10);
    private static final Duration MAX = Duration.ofMinutes(5);

    @RepeatedTest(50)
    void eachWaitLiesBetweenHalfItsStepAndTheWholeStep() {
        assertThat(Backoff.delay(1, INITIAL, MAX)).isBetween(Duration.ofSeconds(5), Duration.ofSeconds(10));
        assertThat(Backoff.delay(2, INITIAL, MAX)).isBetween(Duration.ofSeconds(10), Duration.ofSeconds(20));
        assertThat(Backoff.delay(4, INITIAL, MAX)).isBetween(Duration.ofSeconds(40), Duration.ofSeconds(80));
    }

    @RepeatedTest(50)
    void stepsStopGrowingAtTheMaximum() {
        assertThat(Backoff.delay(6, INITIAL, MAX)).isBetween(Duration.ofMillis(150_000), MAX);
        assertThat(Backoff.delay(1_000, INITIAL, MAX)).as("no overflow").isBetween(Duration.ofMillis(150_000), MAX);
    }

    @Test
    void theJitterSpreadsRetriesOfManyDeliveries() {
        long distinct = java.util.stream.IntStream.range(0, 100)
                .mapToObj(i -> Backoff.delay(3, INITIAL, MAX)).distinct().count();
        assertThat(distinct).isGreaterThan(10);
    }
}
