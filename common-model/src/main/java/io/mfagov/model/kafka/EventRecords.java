package io.mfagov.model.kafka;

import io.mfagov.model.EventCodec;
import io.mfagov.model.EventEnvelope;
import io.mfagov.model.EventHeaders;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Turns envelopes into Kafka records the one way mfagov writes them: topic from the event type,
 * key = tenant id, value = the JSON envelope, event id / type / schema version as headers.
 */
public final class EventRecords {

    private EventRecords() {
    }

    public static Headers headers(EventEnvelope<?> envelope) {
        RecordHeaders headers = new RecordHeaders();
        for (Map.Entry<String, String> header : EventHeaders.of(envelope).entrySet()) {
            headers.add(header.getKey(), header.getValue().getBytes(StandardCharsets.UTF_8));
        }
        return headers;
    }

    public static ProducerRecord<String, String> toRecord(EventEnvelope<?> envelope) {
        return new ProducerRecord<>(envelope.type().topic(), null, envelope.key(),
                EventCodec.get().encode(envelope), headers(envelope));
    }

    /** A header's value as text, or null. */
    public static String header(Headers headers, String name) {
        var header = headers.lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
