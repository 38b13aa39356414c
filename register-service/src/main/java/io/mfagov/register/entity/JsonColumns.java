package io.mfagov.register.entity;

import com.fasterxml.jackson.core.type.TypeReference;
import io.mfagov.model.EventCodec;

import java.io.IOException;
import java.util.List;

/** Columns that hold a JSON array of strings ({@code exclusion.flags}, {@code scan.notes}), read back. */
public final class JsonColumns {

    private JsonColumns() {
    }

    /** The strings of a JSON array column; empty when none or unreadable. */
    public static List<String> strings(String json) {
        if (json == null || json.isBlank()) {
            return List.of();
        }
        try {
            return EventCodec.get().mapper().readValue(json, new TypeReference<List<String>>() { });
        } catch (IOException e) {
            return List.of();
        }
    }
}
