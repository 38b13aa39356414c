package io.mfagov.notifier.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A real HTTP server on 127.0.0.1 that records every request it receives and answers as told:
 * a queue of scripted answers first (500, 429 + Retry-After, slow, a redirect), then the default answer.
 * Only requests it answered with 2xx count as delivered.
 */
public final class RecordingSink implements AutoCloseable {

    /** One received request. */
    public record Received(String path, Map<String, String> headers, byte[] body, Instant at, int answeredWith) {
        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /**
     * How to answer one request. {@code trickle}: if set, the status and headers go out at once and then the
     * body, one byte every 100 ms for that long (an answer that never trips an idle timeout).
     */
    public record Answer(int status, Duration delay, Map<String, String> headers, Duration trickle) {
        public Answer(int status, Duration delay, Map<String, String> headers) {
            this(status, delay, headers, null);
        }

        public static Answer status(int status) {
            return new Answer(status, Duration.ZERO, Map.of());
        }

        public static Answer slow(int status, Duration delay) {
            return new Answer(status, delay, Map.of());
        }

        public static Answer tooManyRequests(String retryAfter) {
            return new Answer(429, Duration.ZERO, Map.of("Retry-After", retryAfter));
        }

        public static Answer redirect(String location) {
            return new Answer(302, Duration.ZERO, Map.of("Location", location));
        }

        /** Answers {@code status} at once, then trickles the body for {@code duration}. */
        public static Answer trickle(int status, Duration duration) {
            return new Answer(status, Duration.ZERO, Map.of(), duration);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "recording-sink");
        t.setDaemon(true);
        return t;
    });
    private final List<Received> received = Collections.synchronizedList(new ArrayList<>());
    private final Deque<Answer> script = new ConcurrentLinkedDeque<>();
    private volatile Answer defaultAnswer = Answer.status(200);

    private RecordingSink(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    public static RecordingSink start() {
        return start(0);
    }

    /** On a given port (0: any free one), e.g. where a destination was refusing connections so far. */
    public static RecordingSink start(int port) {
        try {
            return new RecordingSink(port);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** URL of a path on this sink, e.g. {@code url("/teams")}. */
    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public RecordingSink then(Answer... answers) {
        script.addAll(List.of(answers));
        return this;
    }

    public RecordingSink answerByDefault(Answer answer) {
        this.defaultAnswer = answer;
        return this;
    }

    /** Delivered requests whose body mentions the text (e.g. an alert id or subject). */
    public long deliveredMentioning(String text) {
        return delivered().stream().filter(r -> r.bodyText().contains(text)).count();
    }

    public List<Received> all() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    /** Requests answered 2xx: what was delivered. */
    public List<Received> delivered() {
        return all().stream().filter(r -> r.answeredWith() >= 200 && r.answeredWith() < 300).toList();
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        Answer answer = script.poll();
        if (answer == null) {
            answer = defaultAnswer;
        }
        Map<String, String> headers = new TreeMap<>();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
        if (answer.trickle() != null) {
            trickle(exchange, path(exchange), headers, body, answer);
            return;
        }
        if (!answer.delay().isZero()) {
            try {
                Thread.sleep(answer.delay().toMillis()); // the sink being slow, not a test timing
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        received.add(new Received(exchange.getRequestURI().getPath(), headers, body, Instant.now(), answer.status()));
        answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        byte[] reply = (answer.status() < 300 ? "1" : "error " + answer.status()).getBytes(StandardCharsets.UTF_8);
        try {
            exchange.sendResponseHeaders(answer.status(), reply.length);
            exchange.getResponseBody().write(reply);
        } catch (IOException e) {
            // the client gave up (timeout): recorded anyway, as a request the sink saw
        } finally {
            exchange.close();
        }
    }

    /**
     * Status at once, then a byte every 100 ms. Recorded when over: with the status if the whole body went
     * out, as 0 (not delivered) if the client gave up first.
     */
    private void trickle(HttpExchange exchange, String path, Map<String, String> headers, byte[] body, Answer answer) {
        boolean complete = false;
        try {
            exchange.sendResponseHeaders(answer.status(), 0); // chunked
            long end = System.nanoTime() + answer.trickle().toNanos();
            while (System.nanoTime() < end) {
                exchange.getResponseBody().write('.');
                exchange.getResponseBody().flush();
                Thread.sleep(100);
            }
            complete = true;
        } catch (IOException e) {
            // the client reset the request
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            received.add(new Received(path, headers, body, Instant.now(), complete ? answer.status() : 0));
            exchange.close();
        }
    }

    private static String path(HttpExchange exchange) {
        return exchange.getRequestURI().getPath();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
