package io.mfagov.graphsim.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/** A Graph answer: status, headers, JSON body bytes (or none). */
public final class GraphResponse {
    public static final String ODATA_JSON =
            "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";
    private static final DateTimeFormatter INNER_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss")
            .withZone(ZoneOffset.UTC);

    public final int status;
    public final Map<String, String> headers = new LinkedHashMap<>();
    public final byte[] body;

    public GraphResponse(int status, byte[] body) {
        this.status = status;
        this.body = body;
        if (body != null) {
            headers.put("Content-Type", status < 300 ? ODATA_JSON : "application/json");
        }
    }

    public static GraphResponse json(int status, JsonNode body) {
        return new GraphResponse(status, Json.bytes(body));
    }

    public static GraphResponse noContent() {
        return new GraphResponse(204, null);
    }

    public GraphResponse header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    /** Graph's error body: {"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}. */
    public static GraphResponse error(int status, String code, String message, GraphRequest r, Instant now) {
        return new GraphResponse(status, Json.bytes(errorBody(code, message, r == null ? null : r.requestId,
                r == null ? null : r.clientRequestId(), now)));
    }

    public static ObjectNode errorBody(String code, String message, String requestId, String clientRequestId, Instant now) {
        ObjectNode root = Json.obj();
        ObjectNode e = root.putObject("error");
        e.put("code", code);
        e.put("message", message);
        ObjectNode inner = e.putObject("innerError");
        inner.put("date", INNER_DATE.format(now.truncatedTo(ChronoUnit.SECONDS)));
        inner.put("request-id", requestId);
        inner.put("client-request-id", clientRequestId);
        return root;
    }

    /** Graph's 429 body (as in Microsoft's throttling documentation). */
    public static GraphResponse tooManyRequests(GraphRequest r, Instant now) {
        ObjectNode root = Json.obj();
        ObjectNode e = root.putObject("error");
        e.put("code", "TooManyRequests");
        ObjectNode inner = e.putObject("innerError");
        inner.put("code", "429");
        inner.put("date", INNER_DATE.format(now.truncatedTo(ChronoUnit.SECONDS)));
        inner.put("message", "Please retry after");
        inner.put("request-id", r.requestId);
        inner.put("status", "429");
        e.put("message", "Please retry again later.");
        return json(429, root);
    }
}
