package io.mfagov.support.problem;

/**
 * Thrown by services and resources to answer with a problem+json. Factories name the usual cases;
 * messages are for people and must never carry secrets.
 */
public class ProblemException extends RuntimeException {

    private final transient Problem problem;

    public ProblemException(Problem problem) {
        super(problem.detail(), null, false, false);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }

    /** 400: the named field is wrong. */
    public static ProblemException invalid(String field, String detail) {
        return new ProblemException(Problem.of(400, "invalid-field", "Invalid request field", detail, field));
    }

    /** 404: no such resource. */
    public static ProblemException notFound(String what, Object id) {
        return new ProblemException(Problem.of(404, "not-found", "Not found", what + " " + id + " does not exist", null));
    }

    /** 409: the resource's state does not allow this. */
    public static ProblemException conflict(String detail) {
        return new ProblemException(Problem.of(409, "illegal-transition", "Conflict with the current state", detail, null));
    }

    /** 403: authenticated, but this caller may not do this (beyond role checks, e.g. four eyes). */
    public static ProblemException forbidden(String kind, String detail) {
        return new ProblemException(Problem.of(403, kind, "Forbidden", detail, null));
    }
}
