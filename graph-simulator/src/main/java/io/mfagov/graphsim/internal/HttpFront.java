package io.mfagov.graphsim.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.mfagov.graphsim.FaultSpec;
import io.mfagov.graphsim.LimitsConfig;
import io.mfagov.graphsim.RequestCounters;
import io.mfagov.graphsim.SimulatorAdmin;
import io.mfagov.graphsim.TenantRegistry;
import io.mfagov.graphsim.model.Change;
import io.mfagov.graphsim.model.Tenant;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.PfxOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/** One event-loop's HTTP (and HTTPS) listener: token endpoint, Graph, admin API. Deployed once per event loop. */
public final class HttpFront extends AbstractVerticle {

    /** Everything the listeners serve, shared by all instances. */
    public record Services(Engine engine, TokenEndpoint tokenEndpoint, SimulatorAdmin admin, TenantRegistry tenants,
                           Supplier<ObjectNode> info, Function<Tenant, ObjectNode> tenantInfo, byte[] keyStore,
                           String keyStorePassword) {
    }

    private final Services s;
    private final String host;
    private final int httpPort;
    private final int httpsPort;
    private HttpServer http;
    private HttpServer https;

    public HttpFront(Services services, String host, int httpPort, int httpsPort) {
        this.s = services;
        this.host = host;
        this.httpPort = httpPort;
        this.httpsPort = httpsPort;
    }

    public int actualHttpPort() {
        return http.actualPort();
    }

    public int actualHttpsPort() {
        return https.actualPort();
    }

    @Override
    public void start(Promise<Void> startPromise) {
        Router router = router();
        HttpServerOptions plain = new HttpServerOptions().setHost(host).setPort(httpPort).setTcpNoDelay(true)
                .setIdleTimeout(0).setCompressionSupported(false);
        HttpServerOptions tls = new HttpServerOptions().setHost(host).setPort(httpsPort).setTcpNoDelay(true)
                .setSsl(true).setKeyCertOptions(new PfxOptions().setValue(Buffer.buffer(s.keyStore()))
                        .setPassword(s.keyStorePassword()));
        vertx.createHttpServer(plain).requestHandler(router).listen()
                .compose(h -> {
                    http = h;
                    return vertx.createHttpServer(tls).requestHandler(router).listen();
                })
                .onSuccess(h -> {
                    https = h;
                    startPromise.complete();
                })
                .onFailure(startPromise::fail);
    }

    private Router router() {
        Router r = Router.router(vertx);
        r.route().handler(BodyHandler.create(false).setBodyLimit(32L * 1024 * 1024));
        r.post("/:tenant/oauth2/v2.0/token").handler(this::token);
        r.get("/:tenant/v2.0/.well-known/openid-configuration").handler(this::openIdConfiguration);
        r.routeWithRegex("^/(v1\\.0|beta)(/.*)?$").handler(this::graph);
        r.route("/_admin/*").handler(this::admin);
        r.route().last().handler(ctx -> {
            GraphRequest gr = new GraphRequest("v1.0", ctx.request().method().name(), ctx.request().path(), null, null,
                    null, baseUrl(ctx.request()), Engine.newRequestId());
            sendGraph(ctx, GraphResponse.error(404, "NotFound", "Resource not found for the segment '"
                    + ctx.request().path() + "'.", gr, s.admin().clock().now()), Engine.Transport.NONE);
        });
        return r;
    }

    // ---- token endpoint ------------------------------------------------------------------------------------------

    private void token(RoutingContext ctx) {
        Map<String, String> form = new HashMap<>();
        ctx.request().formAttributes().forEach(e -> form.putIfAbsent(e.getKey(), e.getValue()));
        if (form.isEmpty() && ctx.body() != null && ctx.body().length() > 0) {
            QueryString.parse(ctx.body().asString().replace('+', ' ')).forEach(form::put);
        }
        TokenEndpoint.Answer a = s.tokenEndpoint().handle(ctx.pathParam("tenant"), form);
        ctx.response().setStatusCode(a.status())
                .putHeader("Content-Type", "application/json; charset=utf-8")
                .putHeader("Cache-Control", "no-store, no-cache")
                .end(Buffer.buffer(Json.bytes(a.body())));
    }

    private void openIdConfiguration(RoutingContext ctx) {
        String tenant = ctx.pathParam("tenant");
        String base = baseUrl(ctx.request());
        ObjectNode o = Json.obj();
        o.put("token_endpoint", base + "/" + tenant + "/oauth2/v2.0/token");
        o.set("token_endpoint_auth_methods_supported", Json.arr("client_secret_post", "private_key_jwt", "client_secret_basic"));
        o.put("issuer", "https://login.microsoftonline.com/" + tenant + "/v2.0");
        o.put("authorization_endpoint", base + "/" + tenant + "/oauth2/v2.0/authorize");
        o.put("tenant_region_scope", "EU");
        ctx.response().putHeader("Content-Type", "application/json; charset=utf-8").end(Json.string(o));
    }

    // ---- Graph -----------------------------------------------------------------------------------------------

    private void graph(RoutingContext ctx) {
        HttpServerRequest req = ctx.request();
        String raw = req.path();
        int second = raw.indexOf('/', 1);
        String version = second < 0 ? raw.substring(1) : raw.substring(1, second);
        String rest = second < 0 ? "/" : raw.substring(second);
        Map<String, String> headers = new LinkedHashMap<>();
        req.headers().forEach(e -> {
            if (e.getKey().equalsIgnoreCase("Prefer")) {
                // a list header: several Prefer lines mean all their preferences
                headers.merge("Prefer", e.getValue(), (a, b) -> a + ", " + b);
            } else {
                headers.putIfAbsent(e.getKey(), e.getValue());
            }
        });
        byte[] body = ctx.body() == null || ctx.body().buffer() == null ? null : ctx.body().buffer().getBytes();
        GraphRequest gr;
        String requestId = Engine.newRequestId();
        try {
            gr = new GraphRequest(version.toLowerCase(), req.method().name(), QueryString.decode(rest), req.query(),
                    headers, body, baseUrl(req), requestId);
        } catch (IllegalArgumentException e) {
            GraphRequest bad = new GraphRequest(version, req.method().name(), rest, null, headers, null, baseUrl(req), requestId);
            sendGraph(ctx, GraphResponse.error(400, "BadRequest", e.getMessage(), bad, s.admin().clock().now()), Engine.Transport.NONE);
            return;
        }
        Engine.Outcome out = s.engine().handle(gr);
        long delay = out.transport().delayMs();
        if (delay > 0) {
            vertx.setTimer(delay, id -> sendGraph(ctx, out.response(), out.transport()));
        } else {
            sendGraph(ctx, out.response(), out.transport());
        }
    }

    private void sendGraph(RoutingContext ctx, GraphResponse resp, Engine.Transport transport) {
        if (transport.reset()) {
            reset(ctx.request());
            return;
        }
        HttpServerResponse res = ctx.response();
        if (res.closed() || res.ended()) {
            return;
        }
        res.setStatusCode(resp.status);
        resp.headers.forEach(res::putHeader);
        byte[] body = resp.body;
        if (body != null && resp.status == 200 && transport.truncate()) {
            body = java.util.Arrays.copyOf(body, Math.max(1, body.length / 2));
        } else if (body != null && resp.status == 200 && transport.malformed()) {
            String b = new String(body, StandardCharsets.UTF_8);
            int last = b.lastIndexOf('}');
            b = last < 0 ? b + "]]" : b.substring(0, last) + "]]" + b.substring(last);
            body = b.getBytes(StandardCharsets.UTF_8);
        }
        if (body == null) {
            res.end();
        } else {
            res.end(Buffer.buffer(body));
        }
    }

    /** Resets the TCP connection (SO_LINGER 0 → RST), falling back to a plain close. */
    private static void reset(HttpServerRequest req) {
        try {
            Object conn = req.connection();
            if (conn instanceof io.vertx.core.net.impl.ConnectionBase cb) {
                Channel ch = cb.channel();
                ch.config().setOption(ChannelOption.SO_LINGER, 0);
                ch.close();
                return;
            }
        } catch (RuntimeException | LinkageError e) {
            // fall through
        }
        req.connection().close();
    }

    private static String baseUrl(HttpServerRequest req) {
        String authority = req.authority() != null ? req.authority().toString() : null;
        if (authority == null || authority.isBlank()) {
            authority = req.localAddress().host() + ":" + req.localAddress().port();
        }
        return (req.isSSL() ? "https" : "http") + "://" + authority;
    }

    // ---- admin API -------------------------------------------------------------------------------------------

    private void admin(RoutingContext ctx) {
        HttpServerRequest req = ctx.request();
        String[] seg = req.path().substring("/_admin".length()).split("/");
        // seg[0] is "" (leading slash)
        String method = req.method().name();
        SimulatorAdmin admin = s.admin();
        try {
            String a = seg.length > 1 ? seg[1] : "";
            switch (a) {
                case "", "info" -> json(ctx, 200, s.info().get());
                case "health" -> {
                    ObjectNode o = Json.obj();
                    o.put("status", "UP");
                    json(ctx, 200, o);
                }
                case "tenants" -> tenants(ctx, seg, method);
                case "faults" -> {
                    if (method.equals("GET")) {
                        json(ctx, 200, faultsJson(admin));
                    } else if (method.equals("PUT") || method.equals("POST")) {
                        admin.setGlobalFaults(Json.MAPPER.treeToValue(body(ctx), FaultSpec.class));
                        json(ctx, 200, faultsJson(admin));
                    } else if (method.equals("DELETE")) {
                        admin.clearFaults();
                        json(ctx, 200, faultsJson(admin));
                    } else {
                        adminError(ctx, 405, "method not allowed");
                    }
                }
                case "limits" -> {
                    if (seg.length > 2 && seg[2].equals("reset") && method.equals("POST")) {
                        admin.resetLimitState();
                        json(ctx, 200, Json.MAPPER.valueToTree(admin.limits()));
                    } else if (method.equals("GET")) {
                        json(ctx, 200, Json.MAPPER.valueToTree(admin.limits()));
                    } else if (method.equals("PUT") || method.equals("POST") || method.equals("PATCH")) {
                        ObjectNode cur = Json.MAPPER.valueToTree(admin.limits());
                        cur.setAll((ObjectNode) body(ctx));
                        admin.setLimits(Json.MAPPER.treeToValue(cur, LimitsConfig.class));
                        json(ctx, 200, Json.MAPPER.valueToTree(admin.limits()));
                    } else {
                        adminError(ctx, 405, "method not allowed");
                    }
                }
                case "counters" -> {
                    String tenant = req.getParam("tenant");
                    if (method.equals("DELETE") || (method.equals("POST") && seg.length > 2 && seg[2].equals("reset"))) {
                        if (tenant != null) {
                            admin.counters().reset(tenant);
                        } else {
                            admin.counters().reset();
                        }
                    }
                    json(ctx, 200, countersJson(admin.counters(), tenant));
                }
                case "clock" -> {
                    if (method.equals("POST") && seg.length > 2 && seg[2].equals("advance")) {
                        long ms = Long.parseLong(req.getParam("ms", "1000"));
                        admin.advanceClock(Duration.ofMillis(ms));
                    }
                    ObjectNode o = Json.obj();
                    o.put("now", admin.clock().now().toString());
                    o.put("manual", admin.clock() instanceof io.mfagov.graphsim.ManualClock);
                    json(ctx, 200, o);
                }
                case "reset" -> {
                    admin.resetAll();
                    json(ctx, 200, s.info().get());
                }
                default -> adminError(ctx, 404, "unknown admin resource " + req.path());
            }
        } catch (IllegalArgumentException | IllegalStateException | com.fasterxml.jackson.core.JsonProcessingException e) {
            adminError(ctx, e instanceof IllegalStateException ? 409 : 400, e.getMessage());
        } catch (ClassCastException e) {
            adminError(ctx, 400, "body must be a JSON object");
        }
    }

    private void tenants(RoutingContext ctx, String[] seg, String method) throws com.fasterxml.jackson.core.JsonProcessingException {
        TenantRegistry reg = s.tenants();
        if (seg.length <= 2) {
            int offset = Integer.parseInt(ctx.request().getParam("offset", "0"));
            int limit = Integer.parseInt(ctx.request().getParam("limit", "1000"));
            ObjectNode o = Json.obj();
            o.put("count", reg.size());
            ArrayNode arr = o.putArray("tenants");
            var ids = reg.ids();
            for (int i = offset; i < Math.min(ids.size(), offset + limit); i++) {
                arr.add(s.tenantInfo().apply(reg.get(ids.get(i))));
            }
            json(ctx, 200, o);
            return;
        }
        Tenant t = reg.find(seg[2]).orElse(null);
        if (t == null) {
            adminError(ctx, 404, "unknown tenant " + seg[2]);
            return;
        }
        String sub = seg.length > 3 ? seg[3] : "";
        SimulatorAdmin admin = s.admin();
        switch (sub) {
            case "" -> json(ctx, 200, s.tenantInfo().apply(t));
            case "token" -> {
                long ttl = Long.parseLong(ctx.request().getParam("ttlSeconds", "3600"));
                ObjectNode o = Json.obj();
                o.put("token_type", "Bearer");
                o.put("expires_in", ttl);
                o.put("access_token", admin.mintToken(t.id(), Duration.ofSeconds(ttl)));
                json(ctx, 200, o);
            }
            case "faults" -> {
                if (method.equals("PUT") || method.equals("POST")) {
                    admin.setTenantFaults(t.id(), Json.MAPPER.treeToValue(body(ctx), FaultSpec.class));
                } else if (method.equals("DELETE")) {
                    admin.setTenantFaults(t.id(), null);
                }
                FaultSpec f = admin.tenantFaults(t.id());
                json(ctx, 200, f == null ? Json.F.nullNode() : Json.MAPPER.valueToTree(f));
            }
            case "policies" -> {
                ArrayNode arr = Json.arr();
                t.policies().forEach(arr::add);
                json(ctx, 200, arr);
            }
            case "changes" -> {
                ArrayNode arr = Json.arr();
                for (Change c : admin.changes(t.id())) {
                    ObjectNode o = arr.addObject();
                    o.put("time", c.time().toString());
                    o.put("tenantId", c.tenantId());
                    o.put("kind", c.kind());
                    o.put("targetId", c.targetId());
                    o.put("memberId", c.memberId());
                    o.put("actor", c.actor());
                    o.set("before", c.before());
                    o.set("after", c.after());
                }
                json(ctx, 200, arr);
            }
            case "permissions" -> {
                if (method.equals("PUT") || method.equals("POST")) {
                    java.util.Set<String> granted = new java.util.LinkedHashSet<>();
                    body(ctx).forEach(n -> granted.add(n.asText()));
                    admin.setGrantedPermissions(t.id(), granted);
                }
                json(ctx, 200, Json.arr(new java.util.TreeSet<>(admin.grantedPermissions(t.id()))));
            }
            case "displayName" -> {
                // PUT /_admin/tenants/{id}/displayName {"displayName":"…"}
                if (method.equals("PUT") || method.equals("POST")) {
                    admin.renameTenant(t.id(), body(ctx).path("displayName").asText(null));
                }
                json(ctx, 200, s.tenantInfo().apply(t));
            }
            case "relationships" -> {
                // PUT /_admin/tenants/{partnerId}/relationships/{relationshipId} {"status":"terminated","endDateTime":"…"}
                if (seg.length < 5 || !(method.equals("PUT") || method.equals("POST") || method.equals("PATCH"))) {
                    adminError(ctx, 405, "PUT /_admin/tenants/{partnerId}/relationships/{relationshipId} {\"status\":…}");
                    return;
                }
                JsonNode b = body(ctx);
                String end = b.path("endDateTime").asText(null);
                json(ctx, 200, admin.setRelationshipStatus(t.id(), seg[4], b.path("status").asText(null),
                        end == null ? null : java.time.Instant.parse(end)));
            }
            case "consents" -> {
                // PUT /_admin/tenants/{id}/consents/{clientId} ["perm", …] | DELETE …/{clientId} | GET: explicit consents
                if (seg.length > 4 && (method.equals("PUT") || method.equals("POST"))) {
                    java.util.Set<String> perms = new java.util.LinkedHashSet<>();
                    body(ctx).forEach(n -> perms.add(n.asText()));
                    admin.consent(t.id(), seg[4], perms);
                } else if (seg.length > 4 && method.equals("DELETE")) {
                    admin.revokeConsent(t.id(), seg[4]);
                }
                ObjectNode o = Json.obj();
                t.consents().forEach((app, perms) -> o.set(app, Json.arr(new java.util.TreeSet<>(perms))));
                json(ctx, 200, o);
            }
            case "concurrentEdit" -> {
                if (!method.equals("POST") || seg.length < 5) {
                    adminError(ctx, 405, "POST /_admin/tenants/{id}/concurrentEdit/{policyId}[?when=afterNextWrite]");
                    return;
                }
                try {
                    ObjectNode patch = (ObjectNode) body(ctx);
                    if ("afterNextWrite".equals(ctx.request().getParam("when"))) {
                        admin.editPolicyAfterNextWrite(t.id(), seg[4], patch);
                    } else {
                        admin.editPolicyNow(t.id(), seg[4], patch);
                    }
                } catch (IllegalArgumentException | ClassCastException e) {
                    adminError(ctx, 400, e.getMessage());
                    return;
                }
                json(ctx, 200, t.policy(seg[4]));
            }
            case "counters" -> {
                if (method.equals("DELETE")) {
                    admin.counters().reset(t.id());
                }
                json(ctx, 200, countersJson(admin.counters(), t.id()));
            }
            case "securityDefaults" -> {
                if (method.equals("PUT") || method.equals("POST")) {
                    t.setSecurityDefaultsEnabled(body(ctx).path("isEnabled").asBoolean());
                }
                json(ctx, 200, Render.securityDefaults(t));
            }
            default -> adminError(ctx, 404, "unknown admin resource " + ctx.request().path());
        }
    }

    private static ObjectNode faultsJson(SimulatorAdmin admin) {
        ObjectNode o = Json.obj();
        o.set("global", Json.MAPPER.valueToTree(admin.globalFaults()));
        ObjectNode t = o.putObject("tenants");
        admin.allTenantFaults().forEach((k, v) -> t.set(k, Json.MAPPER.valueToTree(v)));
        return o;
    }

    private static ObjectNode countersJson(RequestCounters c, String tenant) {
        ObjectNode o = Json.obj();
        if (tenant != null) {
            o.put("tenant", tenant);
            o.put("total", c.forTenant(tenant));
            o.put("throttled", c.throttled(tenant));
            o.set("byEndpoint", Json.MAPPER.valueToTree(c.byEndpoint(tenant)));
        } else {
            o.put("total", c.total());
            o.set("byTenant", Json.MAPPER.valueToTree(c.snapshot()));
        }
        return o;
    }

    private static JsonNode body(RoutingContext ctx) {
        if (ctx.body() == null || ctx.body().length() == 0) {
            return Json.obj();
        }
        try {
            return Json.MAPPER.readTree(ctx.body().buffer().getBytes());
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("body is not valid JSON: " + e.getMessage());
        }
    }

    private static void json(RoutingContext ctx, int status, JsonNode body) {
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(Json.pretty(body));
    }

    private static void adminError(RoutingContext ctx, int status, String message) {
        ObjectNode o = Json.obj();
        o.put("error", message == null ? "error" : message);
        json(ctx, status, o);
    }
}
