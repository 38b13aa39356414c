package io.mfagov.notifier.delivery;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** Pure logic: when a failed delivery is tried again, and when it is dead. */
class RetryScheduleTest {

    private static final Duration INITIAL = Duration.ofSeconds(10);
    private static final Duration MAX = Duration.ofMinutes(15);
    private static final Duration MAX_RETRY_AFTER = Duration.ofHours(1);
    private static final Instant NOW = Instant.parse("2026-12-05T08:00:00Z");
    private static final Instant DEADLINE = NOW.plus(Duration.ofHours(24));

    @Test
    void aRetryAfterIsHonouredUpToItsCap() {
        assertThat(DeliveryStore.retryDelay(Duration.ofSeconds(30), 5, INITIAL, MAX, MAX_RETRY_AFTER))
                .isEqualTo(Duration.ofSeconds(30));
        assertThat(DeliveryStore.retryDelay(Duration.ofHours(5), 1, INITIAL, MAX, MAX_RETRY_AFTER))
                .isEqualTo(MAX_RETRY_AFTER);
    }

    @RepeatedTest(20)
    void withoutRetryAfterTheBackoffDoublesWithEqualJitter() {
        assertThat(DeliveryStore.retryDelay(null, 1, INITIAL, MAX, MAX_RETRY_AFTER))
                .isBetween(Duration.ofSeconds(5), Duration.ofSeconds(10));
        assertThat(DeliveryStore.retryDelay(null, 2, INITIAL, MAX, MAX_RETRY_AFTER))
                .isBetween(Duration.ofSeconds(10), Duration.ofSeconds(20));
        assertThat(DeliveryStore.retryDelay(null, 4, INITIAL, MAX, MAX_RETRY_AFTER))
                .isBetween(Duration.ofSeconds(40), Duration.ofSeconds(80));
    }

    @RepeatedTest(20)
    void theBackoffStopsGrowingAtItsMaximum() {
        assertThat(Backoff.delay(30, INITIAL, MAX)).isBetween(MAX.dividedBy(2), MAX);
        assertThat(Backoff.delay(1000, INITIAL, MAX)).isBetween(MAX.dividedBy(2), MAX);
    }

    @Test
    void aRetryableFailureIsTriedAgainAtItsRetryTime() {
        Instant retryAt = NOW.plusSeconds(40);
        assertThat(DeliveryStore.nextAttempt(false, retryAt, NOW, DEADLINE)).isEqualTo(retryAt);
    }

    @Test
    void theLastTryHappensAtTheDeadline() {
        assertThat(DeliveryStore.nextAttempt(false, DEADLINE.plusSeconds(1), NOW, DEADLINE)).isEqualTo(DEADLINE);
    }

    @Test
    void aFailureAtOrAfterTheDeadlineIsDead() {
        assertThat(DeliveryStore.nextAttempt(false, DEADLINE.plusSeconds(10), DEADLINE, DEADLINE)).isNull();
        assertThat(DeliveryStore.nextAttempt(false, DEADLINE.plusSeconds(10), DEADLINE.plusSeconds(1), DEADLINE)).isNull();
        assertThat(DeliveryStore.nextAttempt(false, DEADLINE, DEADLINE.minusMillis(1), DEADLINE)).isEqualTo(DEADLINE);
    }

    @Test
    void aPermanentRefusalIsDeadAtOnce() {
        assertThat(DeliveryStore.nextAttempt(true, null, NOW, DEADLINE)).isNull();
    }
}
