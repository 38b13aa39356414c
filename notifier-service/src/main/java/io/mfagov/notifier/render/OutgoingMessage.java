package io.mfagov.notifier.render;

import java.util.Map;

/** One HTTP POST to make: JSON body and headers (signature included when the destination has a secret). */
public record OutgoingMessage(byte[] body, Map<String, String> headers) {
}
