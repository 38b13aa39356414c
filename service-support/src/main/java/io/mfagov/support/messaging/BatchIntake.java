package io.mfagov.support.messaging;

import io.mfagov.model.EventEnvelope;
import io.mfagov.model.EventPayload;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * How every consumer takes in what one poll returned: decode → validate → idempotent apply → dead-letter.
 *
 * <ol>
 * <li><b>Decode and validate</b> each record on its own; one that fails (the codec's refusal names the field) is
 * dead-lettered at once with the reason, and the others go on.</li>
 * <li><b>Apply</b> the readable ones all at once: the service's {@link Apply} callback, one transaction that records
 * the event ids with their effects, and answers how many were new (the rest were duplicates: redeliveries).</li>
 * <li>A <b>transient</b> failure ({@link TransientFailures#isTransient}: the database down or restarting, no connection,
 * a deadlock) is retried in place with capped exponential backoff ({@link RetryDelays}) for as long as it lasts and is
 * never dead-lettered; nothing is acknowledged meanwhile. When the application stops meanwhile, the records are left
 * neither acknowledged nor dead-lettered: they are redelivered after the restart.</li>
 * <li>Should the batch fail otherwise, each record is applied on its own, and only one that fails alone is
 * dead-lettered; the rest are applied.</li>
 * </ol>
 *
 * <p>One counter per outcome, {@value #METRIC}{@code {channel, outcome}} with outcome {@code applied},
 * {@code duplicate}, {@code dead-lettered} and {@code retried} (one per record per transient retry).
 *
 * @param <E> what a record decodes to (an event envelope)
 */
public final class BatchIntake<E> {

    public static final String METRIC = "mfagov.intake.records";

    private static final Logger LOG = Logger.getLogger(BatchIntake.class);

    /** Turns a record's value into an event; throws (naming the field) when it cannot. */
    @FunctionalInterface
    public interface Decoder<E> {
        E decode(String value);
    }

    /** Refuses an event that decoded but does not belong here, by throwing. */
    @FunctionalInterface
    public interface Validator<E> {
        void validate(E event);
    }

    /**
     * Applies the events in order in one transaction of its own, recording their ids with their effects; an event
     * applied before adds nothing. Returns how many were new.
     */
    @FunctionalInterface
    public interface Apply<E> {
        int apply(List<E> events);
    }

    /** Waits between transient retries; returns false when interrupted (the application is stopping). */
    @FunctionalInterface
    public interface Sleeper {
        boolean sleep(Duration delay);
    }

    private final String channel;
    private final Decoder<E> decoder;
    private final Validator<E> validator;
    private final Apply<E> apply;
    private final Function<E, String> eventId;
    private final RetryDelays retryDelays;
    private final BooleanSupplier stopping;
    private final Sleeper sleeper;
    private final Counter applied;
    private final Counter duplicate;
    private final Counter deadLettered;
    private final Counter retried;

    private BatchIntake(Builder<E> b) {
        this.channel = Objects.requireNonNull(b.channel, "channel");
        this.decoder = Objects.requireNonNull(b.decoder, "decoder");
        this.validator = b.validator;
        this.apply = Objects.requireNonNull(b.apply, "apply");
        this.eventId = b.eventId;
        this.retryDelays = Objects.requireNonNull(b.retryDelays, "retryDelays");
        this.stopping = b.stopping;
        this.sleeper = b.sleeper;
        MeterRegistry registry = Objects.requireNonNull(b.registry, "registry");
        this.applied = counter(registry, "applied");
        this.duplicate = counter(registry, "duplicate");
        this.deadLettered = counter(registry, "dead-lettered");
        this.retried = counter(registry, "retried");
    }

    public static <E> Builder<E> forChannel(String channel, MeterRegistry registry) {
        return new Builder<>(channel, registry);
    }

    /**
     * For a channel of mfagov events ({@link EventEnvelope}): the envelope's event id is what idempotency and dead
     * letters name; the payload type is the decoder's.
     */
    public static <P extends EventPayload> Builder<EventEnvelope<P>> forEvents(String channel, MeterRegistry registry) {
        return BatchIntake.<EventEnvelope<P>>forChannel(channel, registry)
                .eventId(envelope -> String.valueOf(envelope.eventId()));
    }

    private Counter counter(MeterRegistry registry, String outcome) {
        return Counter.builder(METRIC)
                .description("Records taken in from a Kafka channel, by outcome")
                .tag("channel", channel)
                .tag("outcome", outcome)
                .register(registry);
    }

    private record Decoded<E>(IncomingRecord record, E event) {
    }

    /**
     * Takes in the records of one poll. When it returns, every record is acknowledged or dead-lettered, unless the
     * application is stopping (then the undecided ones are left for redelivery).
     */
    public void take(List<? extends IncomingRecord> records) {
        List<Decoded<E>> readable = new ArrayList<>(records.size());
        for (IncomingRecord record : records) {
            E event;
            try {
                event = decoder.decode(record.value());
            } catch (RuntimeException e) {
                deadLetter(record, e, null);
                continue;
            }
            try {
                if (validator != null) {
                    validator.validate(event);
                }
            } catch (RuntimeException e) {
                deadLetter(record, e, idOf(event));
                continue;
            }
            readable.add(new Decoded<>(record, event));
        }
        if (readable.isEmpty()) {
            return;
        }
        Outcome batch = applyRetryingTransient(readable);
        if (batch.failure == null) {
            count(readable.size(), batch.fresh);
            readable.forEach(d -> d.record.ack());
            return;
        }
        if (batch.stopped) {
            return;
        }
        if (readable.size() > 1) {
            LOG.warnf("%s: applying %d records at once failed (%s); one by one", channel, readable.size(),
                    batch.failure.toString());
        }
        for (Decoded<E> one : readable) {
            Outcome single = readable.size() == 1 ? batch : applyRetryingTransient(List.of(one));
            if (single.failure == null) {
                count(1, single.fresh);
                one.record.ack();
            } else if (single.stopped) {
                return;
            } else {
                deadLetter(one.record, reason(single.failure), idOf(one.event));
            }
        }
    }

    private record Outcome(int fresh, RuntimeException failure, boolean stopped) {
    }

    private Outcome applyRetryingTransient(List<Decoded<E>> items) {
        List<E> events = items.stream().map(Decoded::event).toList();
        for (int retry = 1; ; retry++) {
            try {
                int fresh = apply.apply(events);
                if (retry > 1) {
                    LOG.infof("%s: %d records applied after %d attempts", channel, events.size(), retry);
                }
                return new Outcome(fresh, null, false);
            } catch (RuntimeException e) {
                if (!TransientFailures.isTransient(e)) {
                    return new Outcome(0, e, false);
                }
                if (stopping.getAsBoolean()) {
                    return new Outcome(0, e, true);
                }
                Duration delay = retryDelays.delay(retry);
                retried.increment(events.size());
                LOG.warnf("%s: applying %d records failed transiently (attempt %d, %s); retrying in %d ms", channel,
                        events.size(), retry, e.toString(), delay.toMillis());
                if (!sleeper.sleep(delay)) {
                    return new Outcome(0, e, true);
                }
            }
        }
    }

    private void count(int records, int fresh) {
        int fresh0 = Math.max(0, Math.min(records, fresh));
        applied.increment(fresh0);
        duplicate.increment(records - fresh0);
    }

    private void deadLetter(IncomingRecord record, Throwable reason, String id) {
        LOG.warnf("%s: record %s%s goes to the dead-letter topic: %s", channel, record.describe(),
                id == null ? "" : " (event " + id + ")", reason.getMessage());
        deadLettered.increment();
        record.deadLetter(reason, id);
    }

    private String idOf(E event) {
        try {
            return eventId == null || event == null ? null : eventId.apply(event);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * The failure as the dead letter's {@code dead-letter-reason} shows it: the innermost cause (the database's own
     * message, not the transaction manager's wrapper), at most 500 characters, with the failure kept as the cause.
     */
    static RuntimeException reason(RuntimeException failure) {
        Throwable root = failure;
        for (int depth = 0; root.getCause() != null && root.getCause() != root && depth < 20; depth++) {
            root = root.getCause();
        }
        if (root == failure && failure.getMessage() != null) {
            return failure;
        }
        String message = root.getMessage() == null ? root.getClass().getName() : root.getMessage().strip();
        if (message.length() > 500) {
            message = message.substring(0, 499) + "…";
        }
        return new IllegalStateException("cannot apply the record: " + message, failure);
    }

    /** Waits with {@link Thread#sleep}; an interrupt means the application is stopping. */
    public static boolean sleep(Duration delay) {
        try {
            Thread.sleep(Math.max(1, delay.toMillis()));
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public static final class Builder<E> {
        private final String channel;
        private final MeterRegistry registry;
        private Decoder<E> decoder;
        private Validator<E> validator;
        private Apply<E> apply;
        private Function<E, String> eventId;
        private RetryDelays retryDelays = new RetryDelays(Duration.ofMillis(200), Duration.ofSeconds(10));
        private BooleanSupplier stopping = () -> false;
        private Sleeper sleeper = BatchIntake::sleep;

        private Builder(String channel, MeterRegistry registry) {
            this.channel = channel;
            this.registry = registry;
        }

        public Builder<E> decoder(Decoder<E> decoder) {
            this.decoder = decoder;
            return this;
        }

        public Builder<E> validator(Validator<E> validator) {
            this.validator = validator;
            return this;
        }

        public Builder<E> apply(Apply<E> apply) {
            this.apply = apply;
            return this;
        }

        /** The id written to {@link DeadLetterHeaders#EVENT_ID} of a decoded record that is dead-lettered. */
        public Builder<E> eventId(Function<E, String> eventId) {
            this.eventId = eventId;
            return this;
        }

        public Builder<E> retryDelays(RetryDelays retryDelays) {
            this.retryDelays = retryDelays;
            return this;
        }

        /** True once the application is stopping: transient retries end and leave the records undecided. */
        public Builder<E> stopping(BooleanSupplier stopping) {
            this.stopping = stopping;
            return this;
        }

        public Builder<E> sleeper(Sleeper sleeper) {
            this.sleeper = sleeper;
            return this;
        }

        public BatchIntake<E> build() {
            return new BatchIntake<>(this);
        }
    }
}
