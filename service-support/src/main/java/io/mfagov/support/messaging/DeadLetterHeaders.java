package io.mfagov.support.messaging;

/**
 * The headers a dead-lettered record carries, in every service. All but {@link #EVENT_ID} are written by SmallRye's
 * {@code dead-letter-queue} failure strategy, which every incoming channel uses and through which
 * {@link BatchIntake} dead-letters; {@link #EVENT_ID} is added by {@link BatchIntake} when the event id is known.
 */
public final class DeadLetterHeaders {

    /** The failure's message: why the record was refused (a decoding refusal names the field). */
    public static final String REASON = "dead-letter-reason";
    public static final String EXCEPTION_CLASS_NAME = "dead-letter-exception-class-name";
    /** The message of the failure's cause, when it has one. */
    public static final String CAUSE = "dead-letter-cause";
    public static final String CAUSE_CLASS_NAME = "dead-letter-cause-class-name";
    /** Where the record was read: original topic, partition and offset. */
    public static final String TOPIC = "dead-letter-topic";
    public static final String PARTITION = "dead-letter-partition";
    public static final String OFFSET = "dead-letter-offset";
    /** The event id of the envelope, when the record was decoded that far. */
    public static final String EVENT_ID = "dead-letter-event-id";

    private DeadLetterHeaders() {
    }
}
