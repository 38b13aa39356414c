package io.mfagov.scanner.graph;

import io.mfagov.support.retry.RetryAfter;
import com.microsoft.graph.core.content.BatchRequestContent;
import com.microsoft.graph.core.content.BatchResponseContent;
import com.microsoft.graph.models.odataerrors.ODataError;
import com.microsoft.kiota.ApiException;
import com.microsoft.kiota.HttpMethod;
import com.microsoft.kiota.RequestInformation;
import com.microsoft.kiota.serialization.Parsable;
import com.microsoft.kiota.serialization.ParsableFactory;
import io.mfagov.scanner.config.ScannerSettings;
import okhttp3.Response;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The reads of one tenant's scan, executed through the Graph SDK on the calling thread: bounded retries with
 * backoff (Retry-After honoured, capped), CA-bucket pacing, {@code $batch} for independent small reads (inner
 * throttled or failed steps retried in a smaller batch), and typed failures. Not thread-safe: one scan, one thread.
 */
public final class GraphReads {

    /** One read of a batch: a name for errors, how to build it, how to parse it, and whether it is a CA-bucket read. */
    public record Step<T extends Parsable>(String name, Supplier<RequestInformation> request, ParsableFactory<T> factory) {
    }

    /** A step's result: the parsed answer or the failure. */
    public record Result<T>(T value, ReadFailure failure) {
        public boolean ok() {
            return failure == null;
        }
    }

    private static final int MAX_BATCH = 20;
    private static final Set<Integer> RETRYABLE = Set.of(429, 500, 502, 503, 504);

    private final GraphSession session;
    private final ScannerSettings settings;
    private final Redactor redactor;

    public GraphReads(GraphSession session, ScannerSettings settings, Redactor redactor) {
        this.session = session;
        this.settings = settings;
        this.redactor = redactor;
    }

    public GraphSession session() {
        return session;
    }

    /** A single read with retries. {@code ca}: CA policies / named locations (paced, 429 without Retry-After). */
    public <T> T call(String name, boolean ca, Supplier<T> op) {
        return retrying(name, ca, f -> f.kind() == ReadFailure.Kind.TRANSIENT, op);
    }

    /**
     * A write (PATCH, DELETE, POST) whose answer body is not needed, through the SDK's request adapter (its
     * authentication and middleware). Retried only when Graph answered 429 (throttled: not carried out; CA writes get
     * no Retry-After and back off like CA reads). Any other failure is thrown at once: the outcome of a write answered
     * 5xx or cut off is unknown, and only a re-read tells (the caller verifies).
     */
    public void write(String name, boolean ca, Supplier<RequestInformation> request) {
        retrying(name, ca, f -> f.status() == 429, () -> {
            try (java.io.InputStream in = session.client().getRequestAdapter().sendPrimitive(request.get(), errorMapping(),
                    java.io.InputStream.class)) {
                return null;
            } catch (IOException e) {
                return null; // the write was answered; only closing its (unused) body failed
            }
        });
    }

    /**
     * The one retry loop of single requests: paced for CA, retried while {@code retryable} says so, for at most
     * {@code maxRetries} attempts (CA: until the CA retry budget is spent), waiting Retry-After or the backoff.
     */
    private <T> T retrying(String name, boolean ca, java.util.function.Predicate<ReadFailure> retryable, Supplier<T> op) {
        Duration waited = Duration.ZERO;
        for (int attempt = 0; ; attempt++) {
            if (ca) {
                pace();
            }
            try {
                return op.get();
            } catch (RuntimeException e) {
                ReadFailure f = classify(name, e);
                boolean giveUp = ca ? waited.compareTo(settings.caRetryBudget()) >= 0 : attempt >= settings.maxRetries();
                if (!retryable.test(f) || giveUp) {
                    throw f;
                }
                Duration d = delay(attempt, retryAfter(e), ca);
                waited = waited.plus(d);
                sleep(d);
            }
        }
    }

    /** Graph's error answers parsed as OData errors (status and code kept for {@link #classify}). */
    private static HashMap<String, ParsableFactory<? extends Parsable>> errorMapping() {
        HashMap<String, ParsableFactory<? extends Parsable>> errors = new HashMap<>();
        errors.put("XXX", ODataError::createFromDiscriminatorValue);
        return errors;
    }

    /** A request with a JSON body (PATCH, POST) to an absolute URL. */
    public static RequestInformation jsonRequest(HttpMethod method, String url, com.fasterxml.jackson.databind.JsonNode body) {
        RequestInformation ri = new RequestInformation();
        ri.httpMethod = method;
        ri.setUri(URI.create(url));
        ri.headers.add("Accept", "application/json");
        if (body != null) {
            ri.headers.add("Content-Type", "application/json");
            ri.content = new java.io.ByteArrayInputStream(body.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return ri;
    }

    /** GET an absolute URL (an {@code @odata.nextLink}) and parse it. */
    public <T extends Parsable> T next(String name, String url, ParsableFactory<T> factory) {
        return call(name, false, () -> send(get(url), factory));
    }

    public <T extends Parsable> T send(RequestInformation ri, ParsableFactory<T> factory) {
        T value = session.client().getRequestAdapter().send(ri, errorMapping(), factory);
        if (value == null) {
            throw new MalformedAnswer("empty answer");
        }
        return value;
    }

    /**
     * A single read whose answer is kept as raw JSON (for answers the SDK's model would lose values of: its enums
     * drop members they do not know). Retried like {@link #call}.
     */
    public com.fasterxml.jackson.databind.JsonNode json(String name, boolean ca, Supplier<RequestInformation> request) {
        return call(name, ca, () -> {
            java.io.InputStream in = session.client().getRequestAdapter().sendPrimitive(request.get(), errorMapping(),
                    java.io.InputStream.class);
            if (in == null) {
                throw new MalformedAnswer("empty answer");
            }
            try (in) {
                com.fasterxml.jackson.databind.JsonNode node = JSON.readTree(in);
                if (node == null || !node.isObject()) {
                    throw new MalformedAnswer("not a JSON object");
                }
                return node;
            } catch (IOException e) {
                throw new MalformedAnswer("not JSON: " + firstLine(e.getMessage()));
            }
        });
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    public static RequestInformation get(String url) {
        RequestInformation ri = new RequestInformation();
        ri.httpMethod = HttpMethod.GET;
        ri.setUri(URI.create(url));
        ri.headers.add("Accept", "application/json");
        return ri;
    }

    /**
     * Runs independent reads: one request when there is one, otherwise {@code $batch} requests of up to 20. Steps
     * answered 429/5xx (inner 429s are not retried by the SDK), malformed, or missing from the answer are retried,
     * at most {@code max-retries} times, in a new batch; then they are failed reads.
     */
    public Map<String, Result<?>> batch(List<? extends Step<?>> steps) {
        Map<String, Result<?>> results = new LinkedHashMap<>();
        List<Step<?>> pending = new ArrayList<>(steps);
        for (int attempt = 0; !pending.isEmpty(); attempt++) {
            Duration wait = Duration.ZERO;
            List<Step<?>> again = new ArrayList<>();
            for (int from = 0; from < pending.size(); from += MAX_BATCH) {
                List<Step<?>> chunk = pending.subList(from, Math.min(pending.size(), from + MAX_BATCH));
                if (chunk.size() == 1) {
                    Step<?> s = chunk.get(0);
                    try {
                        results.put(s.name(), new Result<>(call(s.name(), false, () -> send(s.request().get(), s.factory())), null));
                    } catch (ReadFailure f) {
                        results.put(s.name(), new Result<>(null, f));
                    }
                    continue;
                }
                BatchResponseContent response;
                Map<String, Step<?>> byId = new LinkedHashMap<>();
                try {
                    response = call("$batch", false, () -> {
                        byId.clear();
                        BatchRequestContent content = new BatchRequestContent(session.client());
                        for (Step<?> s : chunk) {
                            byId.put(content.addBatchRequestStep(s.request().get()), s);
                        }
                        try {
                            BatchResponseContent r = session.client().getBatchRequestBuilder().post(content, null);
                            r.getResponsesStatusCode(); // parses the envelope here, so a corrupt one is retried
                            return r;
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    });
                } catch (ReadFailure f) {
                    for (Step<?> s : chunk) {
                        results.put(s.name(), new Result<>(null, new ReadFailure(s.name(), f.kind(), f.status(),
                                f.getMessage())));
                    }
                    continue;
                }
                Map<String, Integer> statuses = response.getResponsesStatusCode();
                for (Map.Entry<String, Step<?>> e : byId.entrySet()) {
                    Step<?> s = e.getValue();
                    Integer status = statuses.get(e.getKey());
                    if (status == null) {
                        // the answer left this step out: retried like a transient failure, bounded
                        if (attempt >= settings.maxRetries()) {
                            results.put(s.name(), new Result<>(null, new ReadFailure(s.name(), ReadFailure.Kind.TRANSIENT,
                                    0, "no answer for it in the $batch response")));
                        } else {
                            again.add(s);
                        }
                        continue;
                    }
                    if (status >= 200 && status < 300) {
                        try {
                            Object value = response.getResponseById(e.getKey(), s.factory());
                            if (value == null) {
                                throw new MalformedAnswer("empty answer");
                            }
                            results.put(s.name(), new Result<>(value, null));
                        } catch (RuntimeException ex) {
                            if (attempt >= settings.maxRetries()) {
                                results.put(s.name(), new Result<>(null, classify(s.name(), ex)));
                            } else {
                                again.add(s);
                            }
                        }
                        continue;
                    }
                    if (RETRYABLE.contains(status) && attempt < settings.maxRetries()) {
                        again.add(s);
                        Duration ra = innerRetryAfter(response, e.getKey());
                        if (ra != null && ra.compareTo(wait) > 0) {
                            wait = ra;
                        }
                        continue;
                    }
                    results.put(s.name(), new Result<>(null, failure(s.name(), status, innerMessage(response, e.getKey()))));
                }
            }
            pending = again;
            if (!pending.isEmpty()) {
                Duration backoff = delay(attempt, wait.isZero() ? null : wait, false);
                sleep(backoff);
            }
        }
        return results;
    }

    /**
     * A GET of a raw-JSON {@code $batch}: a name for errors, the URL relative to the batch's service root, and whether
     * Graph counts it against the identity-and-access-reports limit (every attempt is then paced, see
     * {@link #paceReports}).
     */
    public record JsonStep(String name, String relativeUrl, boolean reports) {
    }

    /**
     * GET reads against a service root of their own (Graph's beta), answers kept as raw JSON: one request when there is
     * one, otherwise {@code $batch} requests of up to 20 posted to {@code serviceRoot/$batch} (a batch serves one
     * version). Inner 429/5xx are retried in a new batch, at most {@code max-retries} times, as {@link #batch} does.
     */
    public Map<String, Result<com.fasterxml.jackson.databind.JsonNode>> jsonBatch(String serviceRoot, List<JsonStep> steps) {
        Map<String, Result<com.fasterxml.jackson.databind.JsonNode>> results = new LinkedHashMap<>();
        List<JsonStep> pending = new ArrayList<>(steps);
        // a batch's inner requests reach Graph together: never more reports reads in one than the limit allows
        int limit = settings.reportsLimit();
        int size = steps.stream().anyMatch(JsonStep::reports) && limit > 0 ? Math.min(MAX_BATCH, limit) : MAX_BATCH;
        for (int attempt = 0; !pending.isEmpty(); attempt++) {
            Duration wait = Duration.ZERO;
            List<JsonStep> again = new ArrayList<>();
            for (int from = 0; from < pending.size(); from += size) {
                List<JsonStep> chunk = pending.subList(from, Math.min(pending.size(), from + size));
                if (chunk.size() == 1) {
                    JsonStep s = chunk.get(0);
                    try {
                        results.put(s.name(), new Result<>(json(s.name(), false, () -> {
                            if (s.reports()) {
                                paceReports(1);
                            }
                            return get(serviceRoot + s.relativeUrl());
                        }), null));
                    } catch (ReadFailure f) {
                        results.put(s.name(), new Result<>(null, f));
                    }
                    continue;
                }
                com.fasterxml.jackson.databind.node.ObjectNode body = JSON.createObjectNode();
                com.fasterxml.jackson.databind.node.ArrayNode requests = body.putArray("requests");
                for (int i = 0; i < chunk.size(); i++) {
                    requests.addObject().put("id", Integer.toString(i + 1)).put("method", "GET")
                            .put("url", chunk.get(i).relativeUrl());
                }
                com.fasterxml.jackson.databind.JsonNode response;
                try {
                    int reportSteps = (int) chunk.stream().filter(JsonStep::reports).count();
                    response = json("$batch", false, () -> {
                        paceReports(reportSteps);
                        RequestInformation ri = new RequestInformation();
                        ri.httpMethod = HttpMethod.POST;
                        ri.setUri(URI.create(serviceRoot + "/$batch"));
                        ri.headers.add("Accept", "application/json");
                        ri.headers.add("Content-Type", "application/json");
                        ri.content = new java.io.ByteArrayInputStream(body.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                        return ri;
                    });
                } catch (ReadFailure f) {
                    for (JsonStep s : chunk) {
                        results.put(s.name(), new Result<>(null, new ReadFailure(s.name(), f.kind(), f.status(), f.getMessage())));
                    }
                    continue;
                }
                Map<String, com.fasterxml.jackson.databind.JsonNode> answers = new HashMap<>();
                for (com.fasterxml.jackson.databind.JsonNode r : response.path("responses")) {
                    answers.put(r.path("id").asText(), r);
                }
                for (int i = 0; i < chunk.size(); i++) {
                    JsonStep s = chunk.get(i);
                    com.fasterxml.jackson.databind.JsonNode r = answers.get(Integer.toString(i + 1));
                    int status = r == null ? 0 : r.path("status").asInt(0);
                    if (status >= 200 && status < 300 && r.path("body").isObject()) {
                        results.put(s.name(), new Result<>(r.path("body"), null));
                    } else if ((r == null || status == 0 || status < 300 || RETRYABLE.contains(status))
                            && attempt < settings.maxRetries()) {
                        again.add(s); // left out, malformed, throttled or 5xx: retried, bounded
                        Duration ra = r == null ? null : parseRetryAfter(header(r.path("headers"), "Retry-After"));
                        if (ra != null && ra.compareTo(wait) > 0) {
                            wait = ra;
                        }
                    } else if (r == null || status == 0 || status < 300) {
                        results.put(s.name(), new Result<>(null, new ReadFailure(s.name(), ReadFailure.Kind.TRANSIENT, 0,
                                r == null ? "no answer for it in the $batch response" : "malformed answer")));
                    } else {
                        com.fasterxml.jackson.databind.JsonNode error = r.path("body").path("error");
                        String code = error.path("code").asText(null);
                        String message = error.path("message").asText(null);
                        results.put(s.name(), new Result<>(null, failure(s.name(), status,
                                code != null && message != null ? code + ": " + message : message != null ? message : code)));
                    }
                }
            }
            pending = again;
            if (!pending.isEmpty()) {
                sleep(delay(attempt, wait.isZero() ? null : wait, false));
            }
        }
        return results;
    }

    private static String header(com.fasterxml.jackson.databind.JsonNode headers, String name) {
        java.util.Iterator<Map.Entry<String, com.fasterxml.jackson.databind.JsonNode>> it = headers.fields();
        while (it.hasNext()) {
            Map.Entry<String, com.fasterxml.jackson.databind.JsonNode> h = it.next();
            if (h.getKey().equalsIgnoreCase(name)) {
                return h.getValue().asText(null);
            }
        }
        return null;
    }

    // ---- classification -----------------------------------------------------------------------------------------

    private ReadFailure classify(String name, RuntimeException e) {
        if (e instanceof ReadFailure f) {
            return f;
        }
        if (e instanceof ApiException api && api.getResponseStatusCode() > 0) {
            return failure(name, api.getResponseStatusCode(), message(api));
        }
        Throwable t = e;
        while (t != null) {
            String cls = t.getClass().getName();
            if (cls.endsWith("ClientAuthenticationException") || cls.startsWith("com.microsoft.aad.msal4j")
                    || t instanceof GraphClientFactory.MissingCredentialsException) {
                return new ReadFailure(name, ReadFailure.Kind.ACCESS_DENIED, 401,
                        "token request refused: " + redactor.clean(firstLine(t.getMessage())));
            }
            t = t.getCause();
        }
        String what = e instanceof MalformedAnswer ? "malformed answer: " + e.getMessage()
                : isParse(e) ? "malformed answer: " + redactor.clean(firstLine(rootMessage(e)))
                : "no answer: " + redactor.clean(firstLine(rootMessage(e)));
        return new ReadFailure(name, ReadFailure.Kind.TRANSIENT, 0, what);
    }

    private ReadFailure failure(String name, int status, String message) {
        ReadFailure.Kind kind = status == 401 || status == 403 ? ReadFailure.Kind.ACCESS_DENIED
                : status == 404 ? ReadFailure.Kind.NOT_FOUND
                : RETRYABLE.contains(status) ? ReadFailure.Kind.TRANSIENT
                : ReadFailure.Kind.REJECTED;
        return new ReadFailure(name, kind, status, "HTTP " + status + (message == null ? "" : " " + redactor.clean(message)));
    }

    private static boolean isParse(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String cls = t.getClass().getName();
            if (cls.contains("Json") || cls.contains("Gson") || cls.contains("Malformed") || cls.contains("EOFException")
                    || t instanceof IllegalStateException && String.valueOf(t.getMessage()).contains("Expected")) {
                return true;
            }
        }
        return false;
    }

    private static String message(ApiException api) {
        if (api instanceof ODataError o && o.getError() != null) {
            return o.getError().getCode() + ": " + o.getError().getMessage();
        }
        return api.getMessage();
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : " " + t.getMessage());
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** An inner answer's error as {@code code: message} (as single reads report it), or its message alone. */
    private static String innerMessage(BatchResponseContent response, String id) {
        try {
            Response r = response.getResponseById(id);
            if (r != null && r.body() != null) {
                com.fasterxml.jackson.databind.JsonNode error = JSON.readTree(r.body().string()).path("error");
                String code = error.path("code").asText(null);
                String message = error.path("message").asText(null);
                if (code != null && message != null) {
                    return code + ": " + message;
                }
                return message != null ? message : code;
            }
        } catch (Exception ignored) {
            // best effort
        }
        return null;
    }

    // ---- timing -------------------------------------------------------------------------------------------------

    /**
     * Waits until {@code n} more requests fit Graph's identity-and-access-reports limit for this tenant (sign-ins,
     * registration report, per-user MFA: 5 requests per 10 s per app per tenant; mfagov.graph.reports-limit), so paging
     * a large sign-in log is never answered 429 (a throttled request still counts, and its retry counts again).
     */
    public void paceReports(int n) {
        try {
            session.reports().acquire(n);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReadFailure("scan", ReadFailure.Kind.TRANSIENT, 0, "interrupted");
        }
    }


    /**
     * Waits for the tenant's CA slot ({@code ca-interval}): shared by every scan and remediation of the tenant in this
     * process, as Graph's CA limit is per tenant for reads and writes together.
     */
    private void pace() {
        try {
            session.ca().acquire(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReadFailure("scan", ReadFailure.Kind.TRANSIENT, 0, "interrupted");
        }
    }

    private Duration delay(int attempt, Duration retryAfter, boolean ca) {
        if (ca && retryAfter == null) {
            return caRetryDelay(attempt, settings.caInterval(), java.util.concurrent.ThreadLocalRandom.current().nextDouble());
        }
        return retryDelay(attempt, retryAfter, ca, settings.retryBaseDelay(), settings.caInterval(),
                settings.maxRetryDelay());
    }

    /** Longest single wait between two retries of a CA read. */
    static final Duration CA_MAX_STEP = Duration.ofSeconds(16);

    /**
     * The wait before retry {@code attempt + 1} of a CA read answered 429 without Retry-After: the CA interval doubled
     * per attempt, at most {@link #CA_MAX_STEP}, plus up to half of it again as jitter ({@code random} in [0, 1)), so
     * that the scans of one MSP do not retry a tenant's shared 1 request/s limit in lockstep.
     */
    static Duration caRetryDelay(int attempt, Duration caInterval, double random) {
        Duration d = caInterval.multipliedBy(1L << Math.min(attempt, 10));
        if (d.compareTo(CA_MAX_STEP) > 0) {
            d = CA_MAX_STEP;
        }
        return d.plusMillis((long) (d.toMillis() * 0.5 * random));
    }

    /**
     * The wait before retry {@code attempt + 1}: Graph's Retry-After when it sent one, else {@code base} doubled per
     * attempt (for CA reads at least the CA pacing interval, as they get 429s without Retry-After); never more
     * than {@code max}.
     */
    static Duration retryDelay(int attempt, Duration retryAfter, boolean ca, Duration base, Duration caInterval,
            Duration max) {
        if (retryAfter != null) {
            return retryAfter.compareTo(max) > 0 ? max : retryAfter;
        }
        if (ca && caInterval.compareTo(base) > 0) {
            base = caInterval;
        }
        Duration d = base.multipliedBy(1L << Math.min(attempt, 10));
        return d.compareTo(max) > 0 ? max : d;
    }

    private Duration retryAfter(RuntimeException e) {
        if (!(e instanceof ApiException api) || api.getResponseHeaders() == null) {
            return null;
        }
        for (Map.Entry<String, Set<String>> h : api.getResponseHeaders().entrySet()) {
            if (h.getKey().equalsIgnoreCase("Retry-After") && !h.getValue().isEmpty()) {
                return parseRetryAfter(h.getValue().iterator().next());
            }
        }
        return null;
    }

    private Duration innerRetryAfter(BatchResponseContent response, String id) {
        try {
            Response r = response.getResponseById(id);
            return r == null ? null : parseRetryAfter(r.header("Retry-After"));
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Graph's Retry-After through the one shared reader, capped at the longest retry delay. */
    private Duration parseRetryAfter(String value) {
        return RetryAfter.parse(value, settings.maxRetryDelay());
    }

    private static void sleep(Duration d) {
        if (d.isZero() || d.isNegative()) {
            return;
        }
        try {
            Thread.sleep(d.toMillis(), (int) (d.toNanosPart() % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReadFailure("scan", ReadFailure.Kind.TRANSIENT, 0, "interrupted");
        }
    }

    /** Graph answered 2xx with a body the scanner cannot use. */
    public static final class MalformedAnswer extends RuntimeException {
        public MalformedAnswer(String message) {
            super(message, null, false, false);
        }
    }
}
