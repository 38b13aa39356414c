package io.mfagov.notifier.delivery;

import io.mfagov.notifier.outbound.UrlPolicy;
import io.mfagov.notifier.render.OutgoingMessage;

import io.mfagov.notifier.config.NotifierConfig;
import io.mfagov.support.retry.RetryAfter;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
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
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Non-blocking HTTP POSTs to destinations (Vert.x client: a slow destination costs no thread).
 * The host is resolved and checked by {@link UrlPolicy} first and the connection goes to exactly the
 * checked address (Host header and TLS SNI/verification keep the name). Redirects are not followed.
 */
@ApplicationScoped
public class HttpSender {

    private static final int MAX_ERROR_BODY = 300;

    private final Vertx vertx;
    private final HttpClient client;
    private final UrlPolicy policy;
    private final NotifierConfig.Delivery config;

    public HttpSender(Vertx vertx, UrlPolicy policy, NotifierConfig config) {
        this.vertx = vertx;
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
        return post(url, message, Instant.now().plus(requestBudget()));
    }

    /** What one request may take at most, DNS lookup and connecting included: connect + request timeout. */
    public Duration requestBudget() {
        return config.connectTimeout().plus(config.requestTimeout());
    }

    /**
     * Sends one message and gives up at {@code deadline} whatever the destination does (a slow DNS answer, a
     * response trickling in byte by byte that never trips the idle timeout): the request is reset and the
     * outcome is a retryable timeout. The worker's deadline lies well inside the claim's lease, so a request
     * is over before another worker may take the delivery back.
     */
    public CompletionStage<SendOutcome> post(String url, OutgoingMessage message, Instant deadline) {
        long started = System.nanoTime();
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
        long remaining = Duration.between(Instant.now(), deadline).toMillis();
        if (remaining <= 0) {
            // The DNS lookup (or a queue before it) used up the time: no request so late in the lease.
            return CompletableFuture.completedFuture(SendOutcome.retryable(null, null,
                    describe(new TimeoutException("deadline passed before the request started"), started)));
        }
        CompletableFuture<SendOutcome> result = new CompletableFuture<>();
        AtomicReference<HttpClientRequest> inFlight = new AtomicReference<>();
        long timer = vertx.setTimer(remaining, id -> {
            TimeoutException timeout = new TimeoutException("no complete answer within the request deadline");
            if (result.complete(SendOutcome.retryable(null, null, describe(timeout, started)))) {
                HttpClientRequest request = inFlight.get();
                if (request != null) {
                    request.reset(0, timeout);
                }
            }
        });
        client.request(options)
                .compose(request -> {
                    inFlight.set(request);
                    if (result.isDone()) { // the deadline passed while connecting
                        request.reset(0, new TimeoutException("deadline passed while connecting"));
                    }
                    return request.send(Buffer.buffer(message.body()));
                })
                .compose(response -> response.body().map(body -> classify(response, body)))
                .otherwise(failure -> SendOutcome.retryable(null, null, describe(failure, started)))
                .onSuccess(outcome -> {
                    vertx.cancelTimer(timer);
                    result.complete(outcome);
                });
        return result;
    }

    private SendOutcome classify(HttpClientResponse response, Buffer body) {
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return SendOutcome.ok(status);
        }
        String reason = "HTTP " + status + snippet(body);
        if (status == 429) {
            // The destination's Retry-After, read by the one shared parser and capped at delivery.max-retry-after.
            return SendOutcome.retryable(status,
                    RetryAfter.parse(response.getHeader("Retry-After"), config.maxRetryAfter()), reason);
        }
        if (status == 408 || status >= 500) {
            return SendOutcome.retryable(status, null, reason);
        }
        if (status >= 300 && status < 400) {
            return SendOutcome.permanent(status, "HTTP " + status + ": redirect not followed");
        }
        return SendOutcome.permanent(status, reason);
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
