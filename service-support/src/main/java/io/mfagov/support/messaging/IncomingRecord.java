package io.mfagov.support.messaging;

/**
 * One record as {@link BatchIntake} sees it: its value, where it came from, and the two ways it can end:
 * acknowledged, or dead-lettered with the reason. {@link KafkaIncomingRecord} adapts SmallRye's records.
 */
public interface IncomingRecord {

    /** The record's value (an event envelope as JSON), or null for a tombstone. */
    String value();

    /** "topic-partition@offset", for logs. */
    String describe();

    /** Done with: its offset may be committed. */
    void ack();

    /**
     * Goes to the channel's dead-letter topic with the reason in the headers ({@link DeadLetterHeaders});
     * {@code eventId} is null when the record could not be decoded far enough to know it.
     */
    void deadLetter(Throwable reason, String eventId);
}
