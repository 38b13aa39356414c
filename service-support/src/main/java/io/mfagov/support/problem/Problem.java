package io.mfagov.support.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * An RFC 9457 problem detail. {@code field} (an extension member) names the request field at fault
 * for 400s, as a JSON path ({@code principals[0].id}) or a parameter name ({@code tenantId}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance, String field) {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final MediaType MEDIA = MediaType.valueOf(MEDIA_TYPE);
    /** Base of the {@code type} URIs; each names a kind of problem, e.g. {@code …/invalid-field}. */
    public static final String TYPE_BASE = "https://mfagov.io/problems/";

    public Response toResponse() {
        return Response.status(status).type(MEDIA).entity(this).build();
    }

    public static Problem of(int status, String kind, String title, String detail, String field) {
        return new Problem(kind == null ? "about:blank" : TYPE_BASE + kind, title, status, detail, null, field);
    }
}
