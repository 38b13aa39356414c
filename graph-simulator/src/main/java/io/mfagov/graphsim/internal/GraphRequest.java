package io.mfagov.graphsim.internal;

import io.mfagov.graphsim.model.Tenant;

import java.util.Map;
import java.util.TreeMap;

/** A Graph request as the simulator evaluates it (top-level or inside $batch). */
public final class GraphRequest {
    /** "v1.0" or "beta". */
    public final String version;
    public final String method;
    /** Path after the version segment, starting with '/', percent-decoded. */
    public final String path;
    public final String rawQuery;
    public final Map<String, String> query;
    public final Map<String, String> headers;
    public final byte[] body;
    /** scheme://host:port of the listener the request came in on. */
    public final String baseUrl;
    public final String requestId;
    public Tenant tenant;
    /** The calling app (the token's appid; the tenant's app for static tokens). */
    public String appId;
    /** The token's roles claim (application permissions); for static tokens the tenant's granted set at request time. */
    public java.util.Set<String> roles = java.util.Set.of();

    public GraphRequest(String version, String method, String path, String rawQuery, Map<String, String> headers,
                        byte[] body, String baseUrl, String requestId) {
        this.version = version;
        this.method = method;
        this.path = path;
        this.rawQuery = rawQuery;
        this.query = QueryString.parse(rawQuery);
        TreeMap<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (headers != null) {
            h.putAll(headers);
        }
        this.headers = h;
        this.body = body;
        this.baseUrl = baseUrl;
        this.requestId = requestId;
    }

    /** e.g. http://127.0.0.1:8080/v1.0 */
    public String serviceRoot() {
        return baseUrl + "/" + version;
    }

    public String clientRequestId() {
        String c = headers.get("client-request-id");
        return c != null ? c : requestId;
    }

    /** Query option by name: "$top" also matches "top" (Graph accepts both in v1.0 and beta). */
    public String q(String dollarName) {
        String v = query.get(dollarName.toLowerCase());
        if (v == null && dollarName.startsWith("$")) {
            v = query.get(dollarName.substring(1).toLowerCase());
        }
        return v;
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }

    public boolean beta() {
        return "beta".equals(version);
    }
}
