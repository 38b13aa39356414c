package io.mfagov.devstack.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a service's OpenAPI document ({@code /q/openapi?format=json}) for the services' security tests: which
 * operations under {@code /api} there are, and which of them do not name their roles under both schemes
 * ({@code bearer}, {@code apiKey}) or whose schemes are not declared as Swagger UI needs them.
 */
public final class OpenApiSecurity {

    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");
    private static final Set<String> ROLES = Set.of("reader", "requester", "approver", "admin");

    private final JsonNode document;

    private OpenApiSecurity(JsonNode document) {
        this.document = document;
    }

    public static OpenApiSecurity of(String json) {
        try {
            return new OpenApiSecurity(new ObjectMapper().readTree(json));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code "POST /api/v1/api-keys"} → its roles (those of the bearer requirement), for every operation under /api. */
    public Map<String, List<String>> apiOperations() {
        Map<String, List<String>> operations = new java.util.TreeMap<>();
        Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields();
        while (paths.hasNext()) {
            Map.Entry<String, JsonNode> path = paths.next();
            if (!path.getKey().startsWith("/api/")) {
                continue;
            }
            path.getValue().fields().forEachRemaining(op -> {
                if (METHODS.contains(op.getKey())) {
                    List<String> roles = new ArrayList<>();
                    for (JsonNode requirement : op.getValue().path("security")) {
                        requirement.path("bearer").forEach(r -> roles.add(r.asText()));
                    }
                    operations.put(op.getKey().toUpperCase(java.util.Locale.ROOT) + " " + path.getKey(), roles);
                }
            });
        }
        return operations;
    }

    /** What is wrong with the document's security, one line per fault; empty when every /api operation is covered. */
    public List<String> faults() {
        List<String> faults = new ArrayList<>();
        JsonNode schemes = document.path("components").path("securitySchemes");
        JsonNode apiKey = schemes.path("apiKey");
        if (!"apiKey".equals(apiKey.path("type").asText()) || !"header".equals(apiKey.path("in").asText())
                || !"X-API-Key".equals(apiKey.path("name").asText())) {
            faults.add("no apiKey scheme for the X-API-Key header: " + apiKey);
        }
        JsonNode bearer = schemes.path("bearer");
        if (!"http".equals(bearer.path("type").asText()) || !"bearer".equalsIgnoreCase(bearer.path("scheme").asText())) {
            faults.add("no http bearer scheme: " + bearer);
        }
        Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields();
        while (paths.hasNext()) {
            Map.Entry<String, JsonNode> path = paths.next();
            if (!path.getKey().startsWith("/api/")) {
                continue;
            }
            path.getValue().fields().forEachRemaining(op -> {
                if (!METHODS.contains(op.getKey())) {
                    return;
                }
                String name = op.getKey().toUpperCase(java.util.Locale.ROOT) + " " + path.getKey();
                JsonNode security = op.getValue().path("security");
                List<String> bearerRoles = new ArrayList<>();
                List<String> apiKeyRoles = new ArrayList<>();
                for (JsonNode requirement : security) {
                    requirement.path("bearer").forEach(r -> bearerRoles.add(r.asText()));
                    requirement.path("apiKey").forEach(r -> apiKeyRoles.add(r.asText()));
                }
                if (bearerRoles.isEmpty() || !ROLES.containsAll(bearerRoles)) {
                    faults.add(name + ": bearer requirement names no known role: " + security);
                }
                if (!apiKeyRoles.equals(bearerRoles)) {
                    faults.add(name + ": apiKey requirement does not name the same roles: " + security);
                }
            });
        }
        return faults;
    }
}
