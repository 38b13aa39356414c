package io.mfagov.support.messaging;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The helper's decisions, without Kafka or a database: records are strings, events are their numbers. */
class BatchIntakeTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final Set<Integer> appliedIds = new HashSet<>();
    private final List<Duration> waits = new ArrayList<>();

    /** Decodes "n" to n; refuses anything else naming the field; n < 0 is valid JSON but not ours. */
    private BatchIntake.Builder<Integer> intake() {
        return BatchIntake.<Integer>forChannel("test", registry)
                .decoder(value -> {
                    try {
                        return Integer.valueOf(value);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("eventId: not a number: " + value);
                    }
                })
                .validator(n -> {
                    if (n < 0) {
                        throw new IllegalArgumentException("event " + n + " does not belong on this topic");
                    }
                })
                .eventId(String::valueOf)
                .retryDelays(new RetryDelays(Duration.ofMillis(100), Duration.ofMillis(400)))
                .sleeper(delay -> waits.add(delay))
                .apply(this::applyIdempotently);
    }

    private int applyIdempotently(List<Integer> events) {
        if (events.contains(13)) {
            throw new IllegalStateException("constraint violated by 13");
        }
        int fresh = 0;
        for (Integer e : events) {
            if (appliedIds.add(e)) {
                fresh++;
            }
        }
        return fresh;
    }

    @Test
    void badRecordsAreDeadLetteredWithTheReasonAndTheRestAreApplied() {
        List<FakeRecord> records = FakeRecord.of("1", "oops", "-2", "3");

        intake().build().take(records);

        assertThat(records.get(0).state).isEqualTo("acked");
        assertThat(records.get(1).state).isEqualTo("dead");
        assertThat(records.get(1).reason.getMessage()).contains("eventId");
        assertThat(records.get(1).eventId).as("not decoded: no event id").isNull();
        assertThat(records.get(2).state).isEqualTo("dead");
        assertThat(records.get(2).reason.getMessage()).contains("does not belong");
        assertThat(records.get(2).eventId).isEqualTo("-2");
        assertThat(records.get(3).state).isEqualTo("acked");
        assertThat(appliedIds).containsExactlyInAnyOrder(1, 3);
        assertThat(count("applied")).isEqualTo(2);
        assertThat(count("dead-lettered")).isEqualTo(2);
    }

    @Test
    void redeliveredEventsAreAcknowledgedAndCountedAsDuplicates() {
        BatchIntake<Integer> intake = intake().build();
        intake.take(FakeRecord.of("1", "2"));
        List<FakeRecord> again = FakeRecord.of("2", "3");

        intake.take(again);

        assertThat(again).allMatch(r -> r.state.equals("acked"));
        assertThat(count("applied")).isEqualTo(3);
        assertThat(count("duplicate")).isEqualTo(1);
    }

    @Test
    void aRecordThatFailsTheBatchIsDeadLetteredAloneAndTheOthersAreApplied() {
        List<FakeRecord> records = FakeRecord.of("1", "13", "2");

        intake().build().take(records);

        assertThat(records.get(0).state).isEqualTo("acked");
        assertThat(records.get(1).state).isEqualTo("dead");
        assertThat(records.get(1).reason.getMessage()).contains("constraint violated by 13");
        assertThat(records.get(1).eventId).isEqualTo("13");
        assertThat(records.get(2).state).isEqualTo("acked");
        assertThat(appliedIds).containsExactlyInAnyOrder(1, 2);
    }

    @Test
    void transientFailuresAreRetriedInPlaceWithGrowingCappedWaitsAndNeverDeadLettered() {
        AtomicInteger failuresLeft = new AtomicInteger(4);
        BatchIntake<Integer> intake = intake().apply(events -> {
            if (failuresLeft.getAndDecrement() > 0) {
                throw new IllegalStateException("commit failed", new SQLTransientConnectionException("no connection"));
            }
            return applyIdempotently(events);
        }).build();
        List<FakeRecord> records = FakeRecord.of("1", "2");

        intake.take(records);

        assertThat(records).allMatch(r -> r.state.equals("acked"));
        assertThat(waits).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400),
                Duration.ofMillis(400));
        assertThat(count("retried")).isEqualTo(8);
        assertThat(count("dead-lettered")).isZero();
    }

    @Test
    void stoppingDuringATransientOutageLeavesTheRecordsForRedelivery() {
        BatchIntake<Integer> intake = intake()
                .apply(events -> {
                    throw new IllegalStateException(new SQLTransientConnectionException("database down"));
                })
                .sleeper(delay -> false) // interrupted: the application stops
                .build();
        List<FakeRecord> records = FakeRecord.of("1", "2");

        intake.take(records);

        assertThat(records).allMatch(r -> r.state.equals("pending"));
        assertThat(count("dead-lettered")).isZero();
    }

    private double count(String outcome) {
        var counter = registry.find(BatchIntake.METRIC).tag("channel", "test").tag("outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    static final class FakeRecord implements IncomingRecord {
        final String value;
        String state = "pending";
        Throwable reason;
        String eventId;

        FakeRecord(String value) {
            this.value = value;
        }

        static List<FakeRecord> of(String... values) {
            return java.util.Arrays.stream(values).map(FakeRecord::new).toList();
        }

        @Override
        public String value() {
            return value;
        }

        @Override
        public String describe() {
            return "test-0@" + value;
        }

        @Override
        public void ack() {
            assertThat(state).isEqualTo("pending");
            state = "acked";
        }

        @Override
        public void deadLetter(Throwable reason, String eventId) {
            assertThat(state).isEqualTo("pending");
            state = "dead";
            this.reason = reason;
            this.eventId = eventId;
        }
    }
}
