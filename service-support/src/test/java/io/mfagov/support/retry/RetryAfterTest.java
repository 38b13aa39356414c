package io.mfagov.support.retry;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class RetryAfterTest {

    private static final Instant NOW = Instant.parse("2026-10-21T07:28:00Z");
    private static final Duration CAP = Duration.ofMinutes(10);

    @Test
    void delaySecondsAreReadAsSeconds() {
        assertThat(RetryAfter.parse("120", NOW, CAP)).isEqualTo(Duration.ofSeconds(120));
        assertThat(RetryAfter.parse(" 0 ", NOW, CAP)).isEqualTo(Duration.ZERO);
    }

    @Test
    void anHttpDateIsTheTimeLeftUntilIt() {
        assertThat(RetryAfter.parse("Wed, 21 Oct 2026 07:29:30 GMT", NOW, CAP)).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void anHttpDateInThePastMeansNow() {
        assertThat(RetryAfter.parse("Wed, 21 Oct 2026 07:00:00 GMT", NOW, CAP)).isEqualTo(Duration.ZERO);
    }

    @Test
    void longerWaitsAreCapped() {
        assertThat(RetryAfter.parse("86400", NOW, CAP)).isEqualTo(CAP);
        assertThat(RetryAfter.parse("99999999999999999999999", NOW, CAP)).as("beyond a long").isEqualTo(CAP);
        assertThat(RetryAfter.parse("Thu, 22 Oct 2026 07:28:00 GMT", NOW, CAP)).isEqualTo(CAP);
    }

    @Test
    void absentNegativeAndGarbageValuesAreIgnored() {
        assertThat(RetryAfter.parse(null, NOW, CAP)).isNull();
        assertThat(RetryAfter.parse("  ", NOW, CAP)).isNull();
        assertThat(RetryAfter.parse("-5", NOW, CAP)).isNull();
        assertThat(RetryAfter.parse("1.5", NOW, CAP)).isNull();
        assertThat(RetryAfter.parse("soon", NOW, CAP)).isNull();
        assertThat(RetryAfter.parse("2026-10-21T07:29:30Z", NOW, CAP)).as("ISO is not an HTTP-date").isNull();
    }
}
