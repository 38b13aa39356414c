package io.mfagov.notifier.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The benchmark's destination: a real HTTP server (JDK {@code HttpServer}) on 127.0.0.1 that records the
 * arrival time of every request and answers 200 after a fixed delay. The delay is non-blocking: the handler
 * returns at once and a scheduler sends the answer later, so a handful of threads serve any concurrency.
 */
final class BenchmarkSink implements AutoCloseable {

    /** One arrival: the alert id named in the body and when the request arrived (System.nanoTime). */
    record Arrival(String alertId, long atNanos) {
    }

    private static final Pattern ALERT_ID = Pattern.compile("\"alertId\":\"([^\"]+)\"");
    private static final byte[] OK = "1".getBytes(StandardCharsets.UTF_8);

    private final HttpServer server;
    private final ExecutorService handlers = Executors.newFixedThreadPool(8, daemon("bench-sink"));
    private final ScheduledExecutorService answers = Executors.newScheduledThreadPool(2, daemon("bench-sink-answer"));
    private final long delayMillis;
    private final ConcurrentLinkedQueue<Arrival> arrivals = new ConcurrentLinkedQueue<>();
    private final ConcurrentHashMap<String, AtomicInteger> perAlert = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger maxOpen = new AtomicInteger();

    BenchmarkSink(long delayMillis) throws IOException {
        this.delayMillis = delayMillis;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        server.createContext("/", this::handle);
        server.setExecutor(handlers);
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private void handle(HttpExchange exchange) throws IOException {
        long at = System.nanoTime();
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        Matcher m = ALERT_ID.matcher(new String(body, StandardCharsets.UTF_8));
        String alertId = m.find() ? m.group(1) : "?";
        arrivals.add(new Arrival(alertId, at));
        perAlert.computeIfAbsent(alertId, k -> new AtomicInteger()).incrementAndGet();
        maxOpen.accumulateAndGet(open.incrementAndGet(), Math::max);
        answers.schedule(() -> {
            try {
                exchange.sendResponseHeaders(200, OK.length);
                exchange.getResponseBody().write(OK);
            } catch (IOException e) {
                // the client gave up
            } finally {
                exchange.close();
                open.decrementAndGet();
            }
        }, delayMillis, TimeUnit.MILLISECONDS);
    }

    ConcurrentLinkedQueue<Arrival> arrivals() {
        return arrivals;
    }

    int count() {
        return arrivals.size();
    }

    /** Alert ids that arrived more than once. */
    long duplicates() {
        return perAlert.values().stream().filter(c -> c.get() > 1).count();
    }

    int maxConcurrent() {
        return maxOpen.get();
    }

    @Override
    public void close() {
        server.stop(0);
        handlers.shutdownNow();
        answers.shutdownNow();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
