package io.mfagov.devstack.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;

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
        Map<String, List<String>> operations = new TreeMap<>();
        forEachApiOperation((name, operation) -> operations.put(name, roles(operation, "bearer")));
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
        forEachApiOperation((name, operation) -> {
            List<String> bearerRoles = roles(operation, "bearer");
            if (bearerRoles.isEmpty() || !ROLES.containsAll(bearerRoles)) {
                faults.add(name + ": bearer requirement names no known role: " + operation.path("security"));
            }
            if (!roles(operation, "apiKey").equals(bearerRoles)) {
                faults.add(name + ": apiKey requirement does not name the same roles: " + operation.path("security"));
            }
        });
        return faults;
    }

    private void forEachApiOperation(BiConsumer<String, JsonNode> action) {
        Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields();
        while (paths.hasNext()) {
            Map.Entry<String, JsonNode> path = paths.next();
            if (path.getKey().startsWith("/api/")) {
                path.getValue().fields().forEachRemaining(op -> {
                    if (METHODS.contains(op.getKey())) {
                        action.accept(op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey(), op.getValue());
                    }
                });
            }
        }
    }

    private static List<String> roles(JsonNode operation, String scheme) {
        List<String> roles = new ArrayList<>();
        for (JsonNode requirement : operation.path("security")) {
            requirement.path(scheme).forEach(r -> roles.add(r.asText()));
        }
        return roles;
    }
}
