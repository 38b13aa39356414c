package io.mfagov.graphsim.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import io.mfagov.graphsim.FaultSpec;
import io.mfagov.graphsim.RequestCounters;
import io.mfagov.graphsim.SimClock;
import io.mfagov.graphsim.TenantRegistry;
import io.mfagov.graphsim.model.Tenant;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The request pipeline: authentication (token → tenant), accounting, faults, limits, then the endpoint.
 * Transport-level faults (latency, resets, corrupted bodies) are returned to the HTTP layer to carry out.
 */
public final class Engine {

    /** What the HTTP layer must do besides sending the response. */
    public record Transport(long delayMs, boolean reset, boolean truncate, boolean malformed) {
        public static final Transport NONE = new Transport(0, false, false, false);
    }

    public record Outcome(GraphResponse response, Transport transport) {
    }

    /** Header naming the tenant a request is meant for (optional; a mismatch with the token's tenant is a 401). */
    public static final String TENANT_HEADER = "X-Sim-Tenant";

    private final GraphApi api;
    private final Limits limits;
    private final Faults faults;
    private final RequestCounters counters;
    private final TenantRegistry tenants;
    private final TokenService tokens;
    private final SimClock clock;

    public Engine(GraphApi api, Limits limits, Faults faults, RequestCounters counters, TenantRegistry tenants,
                  TokenService tokens, SimClock clock) {
        this.api = api;
        this.limits = limits;
        this.faults = faults;
        this.counters = counters;
        this.tenants = tenants;
        this.tokens = tokens;
        this.clock = clock;
    }

    public static String newRequestId() {
        return UUID.randomUUID().toString();
    }

    /** A top-level Graph request. */
    public Outcome handle(GraphRequest r) {
        GraphApi.Resolved res = api.resolve(r.method, r.path);
        String key = GraphApi.accountingKey(res, r);

        // authentication: the token names the tenant
        String auth = r.headers.get("Authorization");
        String token = auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7).trim() : null;
        TokenService.Validation v = tokens.validate(token);
        Tenant tenant = v.tenantId() == null ? null : tenants.get(v.tenantId());
        if (!v.ok() || tenant == null) {
            counters.count(tenant == null ? null : tenant.id(), key);
            String msg = !v.ok() ? v.error() : "Access token validation failure. Invalid audience: unknown tenant '" + v.tenantId() + "'.";
            return new Outcome(finish(unauthorized(r, msg), r, res), Transport.NONE);
        }
        String target = r.headers.get(TENANT_HEADER);
        if (target != null && !target.equalsIgnoreCase(tenant.id())) {
            counters.count(tenant.id(), key);
            return new Outcome(finish(unauthorized(r, "Access token validation failure: the token was issued for tenant '"
                    + tenant.id() + "' but the request targets tenant '" + target + "'."), r, res), Transport.NONE);
        }
        r.tenant = tenant;
        r.appId = v.appId() != null ? v.appId() : tenant.clientId();
        r.roles = v.roles() != null ? v.roles() : tenant.grantedPermissions();
        counters.count(tenant.id(), key);

        if (res.route() == null) {
            return new Outcome(finish(routeError(r, res), r, res), Transport.NONE);
        }

        FaultSpec spec = faults.effective(tenant.id(), key);
        Transport transport = Transport.NONE;
        if (spec != null) {
            long delay = spec.latencyMs() + faults.jitter(spec.jitterMs());
            boolean reset = spec.connectionReset() > 0 && faults.draw() < spec.connectionReset();
            boolean truncate = spec.truncatedJson() > 0 && faults.draw() < spec.truncatedJson();
            boolean malformed = !truncate && spec.malformedJson() > 0 && faults.draw() < spec.malformedJson();
            transport = new Transport(Math.max(0, delay), reset, truncate, malformed);
            if (reset) {
                return new Outcome(null, transport);
            }
            GraphResponse injected = injected(spec, r);
            if (injected != null) {
                return new Outcome(finish(injected, r, res), transport);
            }
        }
        GraphResponse resp;
        if (res.route().key().equals("batch")) {
            resp = batch(r);
        } else {
            resp = limitedOrHandled(res, r);
        }
        return new Outcome(finish(resp, r, res), transport);
    }

    private GraphResponse limitedOrHandled(GraphApi.Resolved res, GraphRequest r) {
        GraphApi.Route rt = res.route();
        int cost = GraphApi.cost(rt, r);
        Limits.Decision d = limits.check(r.tenant, rt.bucket(), cost);
        if (!d.allowed()) {
            counters.countThrottled(r.tenant.id());
            GraphResponse t = GraphResponse.tooManyRequests(r, clock.now());
            switch (rt.bucket()) {
                case CA -> {
                    // Identity protection and CA: no Retry-After, as Graph
                }
                case DIRECTORY -> {
                    t.header("Retry-After", Long.toString(d.retryAfterSeconds()));
                    t.header("x-ms-throttle-information", "ResourceUnitLimitExceeded");
                    t.header("x-ms-throttle-scope", "Tenant_Application/ApplicationTenant/" + r.tenant.clientId() + "/" + r.tenant.id());
                    t.header("x-ms-resource-unit", Integer.toString(cost));
                }
                default -> t.header("Retry-After", Long.toString(d.retryAfterSeconds()));
            }
            return t;
        }
        GraphResponse resp = api.handle(res, r);
        if (rt.bucket() == Limits.Bucket.DIRECTORY) {
            resp.header("x-ms-resource-unit", Integer.toString(cost));
        }
        return resp;
    }

    private GraphResponse injected(FaultSpec spec, GraphRequest r) {
        if (spec.consentRevoked()) {
            if (spec.revokedStatus() == 401) {
                return unauthorized(r, "The identity of the calling application could not be established: admin consent was revoked.");
            }
            return GraphResponse.error(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.",
                    r, clock.now());
        }
        double total = spec.error429() + spec.error500() + spec.error503() + spec.error504();
        if (total <= 0) {
            return null;
        }
        double u = faults.draw();
        if (u < spec.error429()) {
            counters.countThrottled(r.tenant.id());
            GraphResponse t = GraphResponse.tooManyRequests(r, clock.now());
            if (spec.retryAfterSeconds() != null) {
                t.header("Retry-After", spec.retryAfterSeconds().toString());
            }
            return t;
        }
        u -= spec.error429();
        if (u < spec.error500()) {
            return GraphResponse.error(500, "generalException", "General exception while processing.", r, clock.now());
        }
        u -= spec.error500();
        if (u < spec.error503()) {
            return GraphResponse.error(503, "serviceNotAvailable", "Service Unavailable. Please retry later.", r, clock.now());
        }
        u -= spec.error503();
        if (u < spec.error504()) {
            return GraphResponse.error(504, "UnknownError", "Gateway Timeout.", r, clock.now());
        }
        return null;
    }

    private GraphResponse unauthorized(GraphRequest r, String message) {
        return GraphResponse.error(401, "InvalidAuthenticationToken", message, r, clock.now())
                .header("WWW-Authenticate", "Bearer realm=\"\", authorization_uri=\"https://login.microsoftonline.com/common/oauth2/authorize\", client_id=\"00000003-0000-0000-c000-000000000000\"");
    }

    private GraphResponse routeError(GraphRequest r, GraphApi.Resolved res) {
        if (res.methodNotAllowed()) {
            return GraphResponse.error(405, "Request_BadRequest", "Specified HTTP method is not allowed for the request target.",
                    r, clock.now());
        }
        String[] segs = r.path.split("/");
        String seg = segs.length == 0 ? r.path : segs[segs.length - 1];
        return GraphResponse.error(404, "NotFound", "Resource not found for the segment '" + seg + "'.", r, clock.now());
    }

    private GraphResponse finish(GraphResponse resp, GraphRequest r, GraphApi.Resolved res) {
        resp.headers.put("request-id", r.requestId);
        resp.headers.put("client-request-id", r.clientRequestId());
        resp.headers.put("x-ms-ags-diagnostic", "{\"ServerInfo\":{\"DataCenter\":\"Simulator\",\"Slice\":\"E\",\"Ring\":\"5\",\"ScaleUnit\":\"000\",\"RoleInstance\":\"graph-simulator\"}}");
        if (resp.status < 300 && resp.body != null) {
            resp.headers.put("OData-Version", "4.0");
        }
        resp.headers.put("Cache-Control", "no-cache");
        return resp;
    }

    // ---- $batch ----------------------------------------------------------------------------------------------

    private GraphResponse batch(GraphRequest outer) {
        JsonNode body;
        try {
            body = outer.body == null || outer.body.length == 0 ? null : Json.MAPPER.readTree(outer.body);
        } catch (java.io.IOException e) {
            body = null;
        }
        if (body == null || !body.isObject() || !body.path("requests").isArray()) {
            return GraphResponse.error(400, "BadRequest", "Invalid batch payload format.", outer, clock.now());
        }
        ArrayNode requests = (ArrayNode) body.get("requests");
        if (requests.size() > 20) {
            return GraphResponse.error(400, "BadRequest", "Number of batch requests exceeds the limit of 20.", outer, clock.now());
        }
        if (requests.isEmpty()) {
            return GraphResponse.error(400, "BadRequest", "Invalid batch payload format: no requests.", outer, clock.now());
        }
        Set<String> ids = new HashSet<>();
        for (JsonNode q : requests) {
            String id = q.path("id").asText(null);
            if (id == null || !q.path("method").isTextual() || !q.path("url").isTextual()) {
                return GraphResponse.error(400, "BadRequest", "Invalid batch payload format: every request needs id, method and url.",
                        outer, clock.now());
            }
            if (!ids.add(id)) {
                return GraphResponse.error(400, "BadRequest", "Batch request contains duplicate request id '" + id + "'.",
                        outer, clock.now());
            }
            if (q.has("body") && !q.has("headers")) {
                return GraphResponse.error(400, "BadRequest", "Write request id : " + id + " does not contain Content-Type header or body.",
                        outer, clock.now());
            }
        }
        Map<String, Integer> statusById = new HashMap<>();
        ObjectNode root = Json.obj();
        ArrayNode responses = root.putArray("responses");
        for (JsonNode q : requests) {
            String id = q.get("id").asText();
            ObjectNode out = responses.addObject();
            out.put("id", id);
            boolean failedDep = false;
            for (JsonNode dep : q.path("dependsOn")) {
                Integer st = statusById.get(dep.asText());
                if (st == null || st >= 400) {
                    failedDep = true;
                }
            }
            GraphResponse resp;
            if (failedDep) {
                resp = GraphResponse.error(424, "BadRequest", "Failed dependency.", outer, clock.now());
            } else {
                resp = inner(outer, q);
            }
            statusById.put(id, resp.status);
            out.put("status", resp.status);
            ObjectNode h = out.putObject("headers");
            resp.headers.forEach(h::put);
            if (resp.body != null) {
                out.putRawValue("body", new RawValue(new String(resp.body, StandardCharsets.UTF_8)));
            }
        }
        return GraphResponse.json(200, root).header("Content-Type", "application/json");
    }

    private GraphResponse inner(GraphRequest outer, JsonNode q) {
        String url = q.get("url").asText();
        int scheme = url.indexOf("://");
        if (scheme >= 0) {
            int slash = url.indexOf('/', scheme + 3);
            url = slash < 0 ? "/" : url.substring(slash);
        }
        if (!url.startsWith("/")) {
            url = "/" + url;
        }
        String version = outer.version;
        for (String v : new String[] {"/v1.0/", "/beta/"}) {
            if (url.regionMatches(true, 0, v, 0, v.length())) {
                version = v.substring(1, v.length() - 1);
                url = url.substring(v.length() - 1);
            }
        }
        int qm = url.indexOf('?');
        String path;
        String rawQuery;
        try {
            path = QueryString.decode(qm < 0 ? url : url.substring(0, qm));
        } catch (IllegalArgumentException e) {
            path = url;
        }
        rawQuery = qm < 0 ? null : url.substring(qm + 1);
        Map<String, String> headers = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = q.path("headers").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            headers.put(e.getKey(), e.getValue().asText());
        }
        byte[] body = q.has("body") ? Json.bytes(q.get("body")) : null;
        GraphRequest r;
        try {
            r = new GraphRequest(version, q.get("method").asText().toUpperCase(java.util.Locale.ROOT), path, rawQuery,
                    headers, body, outer.baseUrl, newRequestId());
        } catch (IllegalArgumentException e) {
            return GraphResponse.error(400, "BadRequest", e.getMessage(), outer, clock.now());
        }
        r.tenant = outer.tenant;
        r.appId = outer.appId;
        r.roles = outer.roles;
        GraphApi.Resolved res = api.resolve(r.method, r.path);
        String key = GraphApi.accountingKey(res, r);
        counters.count(r.tenant.id(), key);
        GraphResponse resp;
        if (res.route() == null) {
            resp = routeError(r, res);
        } else if (res.route().key().equals("batch")) {
            resp = GraphResponse.error(400, "BadRequest", "Nested batch requests are not supported.", r, clock.now());
        } else {
            FaultSpec spec = faults.effective(r.tenant.id(), key);
            GraphResponse injected = spec == null ? null : injected(spec, r);
            resp = injected != null ? injected : limitedOrHandled(res, r);
        }
        resp.headers.put("request-id", r.requestId);
        resp.headers.put("client-request-id", r.clientRequestId());
        if (resp.status < 300 && resp.body != null) {
            resp.headers.put("OData-Version", "4.0");
        }
        resp.headers.put("Cache-Control", "no-cache");
        return resp;
    }
}
