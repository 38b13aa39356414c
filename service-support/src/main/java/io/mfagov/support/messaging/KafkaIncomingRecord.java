package io.mfagov.support.messaging;

import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Metadata;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A SmallRye Kafka record as an {@link IncomingRecord}: dead-lettering nacks it, so the channel's
 * {@code failure-strategy=dead-letter-queue} writes it to its {@code .dlq} topic with SmallRye's reason headers (plus
 * {@link DeadLetterHeaders#EVENT_ID}) through the channel's own producer, configured from the same {@code kafka.*}
 * properties as the channel itself.
 */
public final class KafkaIncomingRecord implements IncomingRecord {

    private final KafkaRecord<String, String> record;

    private KafkaIncomingRecord(KafkaRecord<String, String> record) {
        this.record = record;
    }

    public static IncomingRecord of(KafkaRecord<String, String> record) {
        return new KafkaIncomingRecord(record);
    }

    public static List<IncomingRecord> of(List<KafkaRecord<String, String>> records) {
        return records.stream().map(KafkaIncomingRecord::of).toList();
    }

    @Override
    public String value() {
        return record.getPayload();
    }

    @Override
    public String describe() {
        String offset = record.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(m -> Long.toString(m.getOffset())).orElse("?");
        return record.getTopic() + "-" + record.getPartition() + "@" + offset;
    }

    @Override
    public void ack() {
        record.ack();
    }

    @Override
    public void deadLetter(Throwable reason, String eventId) {
        if (eventId == null) {
            record.nack(reason);
            return;
        }
        RecordHeaders headers = new RecordHeaders();
        headers.add(DeadLetterHeaders.EVENT_ID, eventId.getBytes(StandardCharsets.UTF_8));
        record.nack(reason, Metadata.of(OutgoingKafkaRecordMetadata.<String>builder().withHeaders(headers).build()));
    }
}
