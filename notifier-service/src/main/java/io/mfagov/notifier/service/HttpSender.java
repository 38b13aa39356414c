package io.mfagov.notifier.service;

import io.mfagov.notifier.config.NotifierConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;

/**
 * Non-blocking HTTP POSTs to destinations (Vert.x client: a slow destination costs no thread).
 * The host is resolved and checked by {@link UrlPolicy} first and the connection goes to exactly the
 * checked address (Host header and TLS SNI/verification keep the name). Redirects are not followed.
 */
@ApplicationScoped
public class HttpSender {

    private static final int MAX_ERROR_BODY = 300;

    private final HttpClient client;
    private final UrlPolicy policy;
    private final NotifierConfig.Delivery config;

    public HttpSender(Vertx vertx, UrlPolicy policy, NotifierConfig config) {
        this.policy = policy;
        this.config = config.delivery();
        this.client = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) this.config.connectTimeout().toMillis())
                .setMaxPoolSize(Math.max(this.config.perDestinationConcurrency(), this.config.maxConnectionsPerHost()))
                .setKeepAlive(true)
                .setVerifyHost(true)
                .setForceSni(true)
                .setTrustAll(false)
                .setName("mfagov-notifier"));
    }

    @PreDestroy
    void close() {
        client.close();
    }

    /**
     * Sends one message. Blocks only for the DNS lookup (call it off the event loop); the request itself is
     * asynchronous. The stage never fails: every problem is a {@link SendOutcome}.
     */
    public CompletionStage<SendOutcome> post(String url, OutgoingMessage message) {
        URI uri;
        InetAddress address;
        try {
            uri = policy.check(url);
            address = policy.resolve(uri);
        } catch (UrlPolicy.Refused refused) {
            SendOutcome outcome = refused.transientFailure()
                    ? SendOutcome.retryable(null, null, "refused: " + refused.getMessage())
                    : SendOutcome.permanent(null, "refused: " + refused.getMessage());
            return CompletableFuture.completedFuture(outcome);
        }
        boolean tls = "https".equalsIgnoreCase(uri.getScheme());
        int port = uri.getPort() > 0 ? uri.getPort() : (tls ? 443 : 80);
        String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setServer(SocketAddress.inetSocketAddress(port, address.getHostAddress()))
                .setHost(host)
                .setPort(port)
                .setSsl(tls)
                .setURI(path)
                .setFollowRedirects(false)
                .setConnectTimeout(config.connectTimeout().toMillis())
                .setIdleTimeout(config.requestTimeout().toMillis());
        options.putHeader("User-Agent", "mfagov-notifier/1");
        message.headers().forEach(options::putHeader);
        long started = System.nanoTime();
        Future<SendOutcome> result = client.request(options)
                .compose(request -> request.send(Buffer.buffer(message.body())))
                .compose(response -> response.body().map(body -> classify(response, body)))
                .otherwise(failure -> SendOutcome.retryable(null, null, describe(failure, started)));
        return result.toCompletionStage();
    }

    private static SendOutcome classify(HttpClientResponse response, Buffer body) {
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return SendOutcome.ok(status);
        }
        String reason = "HTTP " + status + snippet(body);
        if (status == 429) {
            return SendOutcome.retryable(status, retryAfter(response.getHeader("Retry-After")), reason);
        }
        if (status == 408 || status >= 500) {
            return SendOutcome.retryable(status, null, reason);
        }
        if (status >= 300 && status < 400) {
            return SendOutcome.permanent(status, "HTTP " + status + ": redirect not followed");
        }
        return SendOutcome.permanent(status, reason);
    }

    /** Retry-After as delay-seconds or an HTTP date; null when absent or unreadable. */
    static Duration retryAfter(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.strip();
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(v)));
        } catch (NumberFormatException e) {
            try {
                Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration d = Duration.between(Instant.now(), at);
                return d.isNegative() ? Duration.ZERO : d;
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }

    private static String snippet(Buffer body) {
        if (body == null || body.length() == 0) {
            return "";
        }
        String text = body.toString().replaceAll("\\s+", " ").strip();
        return ": " + (text.length() > MAX_ERROR_BODY ? text.substring(0, MAX_ERROR_BODY) + "…" : text);
    }

    private static String describe(Throwable failure, long startedNanos) {
        long ms = (System.nanoTime() - startedNanos) / 1_000_000;
        String type = failure instanceof TimeoutException || failure.getClass().getSimpleName().contains("Timeout")
                ? "timed out" : "failed";
        String message = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        return String.format(Locale.ROOT, "request %s after %d ms: %s", type, ms, message);
    }
}
