package dev.mailops.mailbox.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.mailops.kit.errors.ConflictException;
import dev.mailops.kit.errors.FieldError;
import dev.mailops.kit.errors.NotFoundException;
import dev.mailops.kit.errors.ValidationException;
import dev.mailops.kit.web.Problems;
import dev.mailops.mailbox.domain.InvalidFields;
import dev.mailops.mailbox.domain.NotFound;
import dev.mailops.mailbox.domain.RuleViolation;

/**
 * The domain's refusals as the service kit's problem+json answers: a broken rule is 409 with its
 * code as the problem type and its details as members, bad fields are 400 naming each field, and
 * an unknown id is 404. A stray {@link dev.mailops.mailbox.domain.InvalidValue} is a bug (whoever
 * parses a field records it) and stays an internal error.
 */
public class DomainProblems {

    @Inject
    Problems problems;

    /** A rule that allows the command later names when (retryAfter, seconds): also as Retry-After. */
    @ServerExceptionMapper
    public Response ruleViolation(RuleViolation e) {
        Response conflict = problems.conflict(new ConflictException(e.code(), e.title(), e.getMessage(), e.details()));
        Object retryAfter = e.details().get("retryAfter");
        return retryAfter == null ? conflict : Response.fromResponse(conflict).header("Retry-After", retryAfter).build();
    }

    @ServerExceptionMapper
    public Response invalidFields(InvalidFields e) {
        return problems.validation(new ValidationException(e.violations().stream()
                .map(violation -> new FieldError(violation.field(), violation.message())).toList()));
    }

    @ServerExceptionMapper
    public Response notFound(NotFound e) {
        return problems.notFound(new NotFoundException(e.getMessage()));
    }
}
