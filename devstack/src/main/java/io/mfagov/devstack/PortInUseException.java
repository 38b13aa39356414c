package io.mfagov.devstack;

/** Thrown when a server cannot start because the TCP port it was asked to use is taken. */
public class PortInUseException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final String server;
    private final int port;

    public PortInUseException(String server, int port) {
        super(server + " cannot start: port " + port + " on 127.0.0.1 is already in use");
        this.server = server;
        this.port = port;
    }

    /** "Kafka" or "PostgreSQL". */
    public String server() {
        return server;
    }

    public int port() {
        return port;
    }
}
