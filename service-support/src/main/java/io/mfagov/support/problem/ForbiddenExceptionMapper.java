package io.mfagov.support.problem;

import io.quarkus.security.ForbiddenException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** A role check failed: 403 as a problem (401s: {@link UnauthorizedExceptionMapper}, {@link AuthenticationFailedExceptionMapper}). */
@Provider
public class ForbiddenExceptionMapper implements ExceptionMapper<ForbiddenException> {

    @Override
    public Response toResponse(ForbiddenException exception) {
        return Problem.of(403, "forbidden", "Forbidden", "your roles do not allow this", null).toResponse();
    }
}
