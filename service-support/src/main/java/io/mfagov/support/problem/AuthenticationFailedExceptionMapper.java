package io.mfagov.support.problem;

import io.quarkus.security.AuthenticationFailedException;
import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * The caller's credentials did not authenticate: 401 as a problem, with the challenge. Needs lazy authentication
 * ({@code quarkus.http.auth.proactive=false}, set by every service), so the failure reaches JAX-RS.
 */
@Provider
@Priority(Priorities.AUTHENTICATION)
public class AuthenticationFailedExceptionMapper implements ExceptionMapper<AuthenticationFailedException> {

    @Override
    public Response toResponse(AuthenticationFailedException exception) {
        return Unauthenticated.response();
    }
}
