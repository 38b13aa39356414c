package io.mfagov.support.openapi;

import io.mfagov.support.auth.ApiKeys;
import io.quarkus.smallrye.openapi.OpenApiFilter;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every service's OpenAPI document declares the two ways to call it, so Swagger UI's "Authorize" can send either:
 * {@value #BEARER} (an OIDC/Entra ID access token) and {@value #API_KEY} (the {@value ApiKeys#HEADER} header). Quarkus
 * adds a security requirement naming the roles of each {@code @RolesAllowed} operation
 * ({@code quarkus.smallrye-openapi.security-scheme=jwt}); this filter offers the same roles through both schemes.
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.BUILD)
public class SecuritySchemesFilter implements OASFilter {

    public static final String BEARER = "bearer";
    public static final String API_KEY = "apiKey";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        Components components = openAPI.getComponents();
        if (components == null) {
            components = OASFactory.createComponents();
            openAPI.setComponents(components);
        }
        Map<String, SecurityScheme> schemes = new LinkedHashMap<>();
        schemes.put(BEARER, OASFactory.createSecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                .bearerFormat("JWT").description("An access token from the MSP's Entra ID (app roles in `roles`); see docs/security.md"));
        schemes.put(API_KEY, OASFactory.createSecurityScheme().type(SecurityScheme.Type.APIKEY)
                .in(SecurityScheme.In.HEADER).name(ApiKeys.HEADER)
                .description("An API key created by an admin (POST /api/v1/api-keys), e.g. for a PSA integration"));
        components.setSecuritySchemes(schemes);
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        for (PathItem item : openAPI.getPaths().getPathItems().values()) {
            for (Operation operation : item.getOperations().values()) {
                List<SecurityRequirement> requirements = operation.getSecurity();
                if (requirements == null || requirements.isEmpty()) {
                    continue;
                }
                Set<String> roles = new LinkedHashSet<>();
                for (SecurityRequirement requirement : requirements) {
                    if (requirement.getSchemes() != null) {
                        requirement.getSchemes().values().forEach(scopes -> {
                            if (scopes != null) {
                                roles.addAll(scopes);
                            }
                        });
                    }
                }
                List<String> scopes = new ArrayList<>(roles);
                operation.setSecurity(new ArrayList<>(List.of(
                        OASFactory.createSecurityRequirement().addScheme(BEARER, scopes),
                        OASFactory.createSecurityRequirement().addScheme(API_KEY, scopes))));
            }
        }
    }
}
