package io.mfagov.scanner.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.GzipSource;
import okio.Okio;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A client-side OkHttp interceptor (see {@code GraphClientFactory(settings, interceptors)}) that alters the
 * simulator's {@code $batch} answers the way Graph sometimes does and the simulator cannot: an inner read left out
 * of the answer, or answered 404 (replication lag). Inner reads are matched by their request URL.
 */
public final class BatchAnswerRewriter implements Interceptor {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Predicate<String> drop;
    private final Predicate<String> notFound;
    private final AtomicInteger batches = new AtomicInteger();

    private BatchAnswerRewriter(Predicate<String> drop, Predicate<String> notFound) {
        this.drop = drop;
        this.notFound = notFound;
    }

    /** Leaves the inner reads whose URL contains {@code urlPart} out of every {@code $batch} answer. */
    public static BatchAnswerRewriter dropping(String urlPart) {
        return new BatchAnswerRewriter(u -> u.contains(urlPart), u -> false);
    }

    /** Answers the inner reads whose URL contains {@code urlPart} with 404 Request_ResourceNotFound. */
    public static BatchAnswerRewriter notFound(String urlPart) {
        return new BatchAnswerRewriter(u -> false, u -> u.contains(urlPart));
    }

    /** {@code $batch} requests seen. */
    public int batches() {
        return batches.get();
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        if (!request.url().encodedPath().endsWith("/$batch") || request.body() == null) {
            return chain.proceed(request);
        }
        batches.incrementAndGet();
        Buffer sent = new Buffer();
        request.body().writeTo(sent);
        byte[] raw = "gzip".equalsIgnoreCase(request.header("Content-Encoding"))
                ? Okio.buffer(new GzipSource(sent)).readByteArray() : sent.readByteArray();
        Map<String, String> urls = new HashMap<>();
        for (JsonNode r : JSON.readTree(raw).path("requests")) {
            urls.put(r.path("id").asText(), r.path("url").asText());
        }
        Response response = chain.proceed(request);
        if (response.code() != 200 || response.body() == null) {
            return response;
        }
        MediaType type = response.body().contentType();
        JsonNode answer = JSON.readTree(response.body().string());
        ArrayNode kept = JSON.createArrayNode();
        for (JsonNode item : answer.path("responses")) {
            String url = urls.getOrDefault(item.path("id").asText(), "");
            if (drop.test(url)) {
                continue;
            }
            if (notFound.test(url)) {
                ObjectNode nf = JSON.createObjectNode();
                nf.put("id", item.path("id").asText());
                nf.put("status", 404);
                nf.putObject("headers").put("Content-Type", "application/json");
                ObjectNode error = nf.putObject("body").putObject("error");
                error.put("code", "Request_ResourceNotFound");
                error.put("message", "Resource does not exist or one of its queried reference-property objects are not present.");
                kept.add(nf);
                continue;
            }
            kept.add(item);
        }
        ((ObjectNode) answer).set("responses", kept);
        return response.newBuilder().body(ResponseBody.create(JSON.writeValueAsBytes(answer), type)).build();
    }
}
