package io.mfagov.graphsim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Test HTTP helper (JDK client) with the simulator's static per-tenant tokens. */
final class Http {
    static final ObjectMapper M = new ObjectMapper();
    /** Built on first use (after a simulator wrote the trust store) so the default SSLContext trusts it. */
    private static final class Client {
        static final HttpClient INSTANCE = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .version(HttpClient.Version.HTTP_1_1).build();
    }

    record Res(int status, HttpResponse<String> raw) {
        JsonNode json() {
            try {
                return M.readTree(raw.body());
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + raw.body(), e);
            }
        }

        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }

        String body() {
            return raw.body();
        }
    }

    static {
        // One certificate for every simulator in this JVM (they share dataDir()); JVM-wide trust for TLS clients
        // (azure-identity's Netty, the Graph SDK's OkHttp, the JDK HttpClient), set before any TLS use.
        System.setProperty("javax.net.ssl.trustStore", dataDir().resolve("graph-simulator-truststore.p12").toString());
        System.setProperty("javax.net.ssl.trustStorePassword", "graph-simulator");
        System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
    }

    private Http() {
    }

    /** A shared data dir so every simulator in the test JVM reuses one certificate (JVM-wide trust store). */
    static Path dataDir() {
        return Path.of("target", "sim-data").toAbsolutePath();
    }

    static SimulatorConfig.Builder config() {
        return SimulatorConfig.builder().dataDir(dataDir()).eventLoops(2);
    }

    static Res get(String url, String token) {
        return send(HttpRequest.newBuilder(URI.create(url)).GET(), token);
    }

    static Res get(GraphSimulator sim, String tenant, String pathAndQuery) {
        return get(sim.graphBaseUrl() + pathAndQuery, sim.staticToken(tenant));
    }

    static Res post(String url, String token, String body) {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)), token);
    }

    static Res post(GraphSimulator sim, String tenant, String path, String body) {
        return post(sim.graphBaseUrl() + path, sim.staticToken(tenant), body);
    }

    static Res method(String method, String url, String token, String body) {
        return send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)), token);
    }

    static Res send(HttpRequest.Builder b, String token) {
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> r = Client.INSTANCE.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            return new Res(r.statusCode(), r);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Microsoft's documented example (test resources {@code graph-examples/}, copied from shared/reference). */
    static JsonNode example(String name) {
        try (var in = Http.class.getResourceAsStream("/graph-examples/" + name)) {
            if (in == null) {
                throw new AssertionError("no example graph-examples/" + name + " on the test classpath");
            }
            return M.readTree(in);
        } catch (IOException e) {
            throw new AssertionError("cannot read example " + name, e);
        }
    }
}
