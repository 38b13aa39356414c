package io.mfagov.support.retry;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * The one reader of HTTP {@code Retry-After} (RFC 9110 §10.2.3), for Graph reads and outgoing deliveries alike:
 * delay-seconds ({@code 120}) or an HTTP-date ({@code Wed, 21 Oct 2026 07:28:00 GMT}). Absent, blank, negative or
 * unreadable values are ignored (null: the caller's own backoff applies); a date in the past means "now" (zero);
 * anything longer than the caller's cap is the cap.
 */
public final class RetryAfter {

    private RetryAfter() {
    }

    /** The wait the header asks for, at most {@code cap}; null when there is no usable value. */
    public static Duration parse(String value, Duration cap) {
        return parse(value, Instant.now(), cap);
    }

    /** As {@link #parse(String, Duration)}, with the current time given (HTTP-dates are relative to it). */
    public static Duration parse(String value, Instant now, Duration cap) {
        if (cap == null || cap.isNegative()) {
            throw new IllegalArgumentException("cap must be zero or more: " + cap);
        }
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.strip();
        Duration wait;
        if (v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            // delay-seconds = 1*DIGIT; more digits than a long holds is "very long", i.e. the cap
            wait = v.length() > 18 ? cap : Duration.ofSeconds(Long.parseLong(v));
        } else {
            try {
                Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                wait = at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO;
            } catch (DateTimeParseException e) {
                return null; // "-5", "soon", "1.5": not a Retry-After
            }
        }
        return wait.compareTo(cap) > 0 ? cap : wait;
    }
}
