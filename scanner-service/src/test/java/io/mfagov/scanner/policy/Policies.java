package io.mfagov.scanner.policy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/** Test support: CA policies written as Graph's JSON (as Microsoft documents them), parsed as the scanner reads them. */
public final class Policies {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Policies() {
    }

    /** Parses one policy object written as JSON. */
    public static CaPolicy parse(String json) {
        try {
            return CaPolicy.parse(JSON.readTree(json));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /**
     * An enabled "all users, all apps, require MFA" policy (Microsoft's baseline) with the given id, state and JSON
     * patches merged in: {@code patch} is a JSON object whose fields replace the policy's (deep for objects).
     */
    public static CaPolicy mfaForAll(String id, String state, String patch) {
        ObjectNode base = (ObjectNode) read("""
                {"id":"%s","displayName":"Policy %s","state":"%s",
                 "conditions":{"clientAppTypes":["all"],
                   "applications":{"includeApplications":["All"],"excludeApplications":[],"includeUserActions":[]},
                   "users":{"includeUsers":["All"],"excludeUsers":[],"includeGroups":[],"excludeGroups":[],
                            "includeRoles":[],"excludeRoles":[]}},
                 "grantControls":{"operator":"OR","builtInControls":["mfa"],"customAuthenticationFactors":[],"termsOfUse":[]}}
                """.formatted(id, id, state));
        if (patch != null) {
            merge(base, (ObjectNode) read(patch));
        }
        return CaPolicy.parse(base);
    }

    public static CaPolicy mfaForAll(String id, String patch) {
        return mfaForAll(id, "enabled", patch);
    }

    public static List<CaPolicy> list(CaPolicy... policies) {
        return List.of(policies);
    }

    private static com.fasterxml.jackson.databind.JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(json, e);
        }
    }

    private static void merge(ObjectNode into, ObjectNode patch) {
        patch.fields().forEachRemaining(e -> {
            if (e.getValue().isObject() && into.get(e.getKey()) instanceof ObjectNode inner) {
                merge(inner, (ObjectNode) e.getValue());
            } else {
                into.set(e.getKey(), e.getValue());
            }
        });
    }
}
