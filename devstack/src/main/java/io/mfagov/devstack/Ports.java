package io.mfagov.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Loopback port helpers. Both servers bind to 127.0.0.1 only. */
final class Ports {

    static final String LOOPBACK = "127.0.0.1";

    private Ports() {
    }

    /** A port that was free a moment ago. */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free port on " + LOOPBACK, e);
        }
    }

    /** {@code requested}, or a free port when it is 0; fails clearly when the requested port is taken. */
    static int resolve(String server, int requested) {
        if (requested < 0 || requested > 65_535) {
            throw new IllegalArgumentException(server + " port out of range: " + requested);
        }
        if (requested == 0) {
            return freePort();
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), requested), 1);
            return requested;
        } catch (IOException e) {
            throw new PortInUseException(server, requested);
        }
    }
}
