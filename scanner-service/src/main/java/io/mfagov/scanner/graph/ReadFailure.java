package io.mfagov.scanner.graph;

/** A Graph read that did not succeed after its retries. */
public final class ReadFailure extends RuntimeException {

    /** Why, in the terms the scan status needs. */
    public enum Kind {
        /** 401/403, revoked consent, token refused: the tenant cannot be read. */
        ACCESS_DENIED,
        /** 404. */
        NOT_FOUND,
        /** Throttled, 5xx, network or malformed answers, still failing after the retries. */
        TRANSIENT,
        /** Any other 4xx. */
        REJECTED
    }

    private final String read;
    private final Kind kind;
    private final int status;

    public ReadFailure(String read, Kind kind, int status, String reason) {
        super(read + ": " + reason, null, false, false);
        this.read = read;
        this.kind = kind;
        this.status = status;
    }

    public String read() {
        return read;
    }

    public Kind kind() {
        return kind;
    }

    public int status() {
        return status;
    }
}
