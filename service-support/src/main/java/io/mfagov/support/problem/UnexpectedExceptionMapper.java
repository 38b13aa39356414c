package io.mfagov.support.problem;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import org.jboss.logging.Logger;

import java.util.UUID;

/**
 * Anything else is our fault: 500 with an incident id to quote, the details only in the log
 * (never in the response).
 */
@Provider
public class UnexpectedExceptionMapper implements ExceptionMapper<Exception> {

    private static final Logger LOG = Logger.getLogger(UnexpectedExceptionMapper.class);

    @Override
    public Response toResponse(Exception exception) {
        String incident = UUID.randomUUID().toString();
        LOG.errorf(exception, "unexpected error, incident %s", incident);
        return new Problem("about:blank", "Internal Server Error", 500,
                "unexpected error; quote incident " + incident, "urn:uuid:" + incident, null).toResponse();
    }
}
