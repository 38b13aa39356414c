package io.mfagov.model;

/**
 * A record that is not a valid mfagov event. The message says what is wrong, naming the field;
 * consumers let it fail the record so it lands on the dead-letter topic with that reason.
 */
public class InvalidEventException extends RuntimeException {

    public InvalidEventException(String message) {
        super(message);
    }

    public InvalidEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
