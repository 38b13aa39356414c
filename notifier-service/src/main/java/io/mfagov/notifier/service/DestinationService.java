package io.mfagov.notifier.service;

import io.mfagov.notifier.delivery.HttpSender;
import io.mfagov.notifier.delivery.SendOutcome;
import io.mfagov.notifier.outbound.SecretBox;
import io.mfagov.notifier.outbound.UrlPolicy;
import io.mfagov.notifier.render.MessageFactory;

import io.mfagov.model.events.AlertKind;
import io.mfagov.model.events.Severity;
import io.mfagov.notifier.repository.Destination;
import io.mfagov.notifier.repository.DestinationRepository;
import io.mfagov.notifier.repository.DestinationType;
import io.mfagov.notifier.api.ApiRecords.DestinationCreated;
import io.mfagov.notifier.api.ApiRecords.DestinationInput;
import io.mfagov.notifier.api.ApiRecords.DestinationView;
import io.mfagov.notifier.api.ApiRecords.TestResult;
import io.mfagov.support.problem.Check;
import io.mfagov.support.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** Destinations: validated (SSRF policy), secrets encrypted, never shown again after creation. */
@ApplicationScoped
public class DestinationService {

    private final DestinationRepository destinations;
    private final SecretBox secrets;
    private final UrlPolicy policy;
    private final HttpSender sender;
    private final MessageFactory messages;

    public DestinationService(DestinationRepository destinations, SecretBox secrets, UrlPolicy policy,
            HttpSender sender, MessageFactory messages) {
        this.destinations = destinations;
        this.secrets = secrets;
        this.policy = policy;
        this.sender = sender;
        this.messages = messages;
    }

    @Transactional
    public DestinationCreated create(DestinationInput input, String actor) {
        if (input == null) {
            throw ProblemException.invalid("body", "a destination is required");
        }
        String name = name(input.name());
        if (input.type() == null) {
            throw ProblemException.invalid("type", "type is required: TEAMS_WORKFLOW or WEBHOOK");
        }
        String tenantId = tenant(input.tenantId());
        URI url = url(input.url());
        String secret = secret(input.type(), input.secret());
        if (input.type() == DestinationType.WEBHOOK && secret == null) {
            secret = secrets.newSigningSecret();
        }
        uniqueName(tenantId, name, null);
        Instant now = Instant.now();
        Destination d = new Destination();
        d.id = UUID.randomUUID();
        d.tenantId = tenantId;
        d.name = name;
        d.type = input.type();
        d.urlCiphertext = secrets.encrypt(url.toString(), d.id.toString());
        d.urlDisplay = display(url);
        d.secretCiphertext = secret == null ? null : secrets.encrypt(secret, d.id.toString());
        d.kinds = Routing.store(kinds(input.kinds()));
        d.minSeverity = severity(input.minSeverity());
        d.enabled = input.enabled() == null || input.enabled();
        d.createdAt = now;
        d.createdBy = actor;
        d.updatedAt = now;
        d.updatedBy = actor;
        destinations.persist(d);
        return new DestinationCreated(view(d), input.type() == DestinationType.WEBHOOK ? secret : null);
    }

    @Transactional
    public DestinationView replace(UUID id, DestinationInput input, String actor) {
        Destination d = find(id);
        if (input == null) {
            throw ProblemException.invalid("body", "a destination is required");
        }
        String name = name(input.name());
        if (input.type() != null && input.type() != d.type) {
            throw ProblemException.invalid("type", "type cannot change (create another destination)");
        }
        String tenantId = tenant(input.tenantId());
        if (!java.util.Objects.equals(tenantId, d.tenantId)) {
            throw ProblemException.invalid("tenantId", "tenantId cannot change (create another destination)");
        }
        uniqueName(tenantId, name, id);
        if (input.url() != null) {
            URI url = url(input.url());
            d.urlCiphertext = secrets.encrypt(url.toString(), d.id.toString());
            d.urlDisplay = display(url);
        }
        String secret = secret(d.type, input.secret());
        if (secret != null) {
            d.secretCiphertext = secrets.encrypt(secret, d.id.toString());
        }
        d.name = name;
        d.kinds = Routing.store(kinds(input.kinds()));
        d.minSeverity = severity(input.minSeverity());
        d.enabled = input.enabled() == null || input.enabled();
        d.updatedAt = Instant.now();
        d.updatedBy = actor;
        return view(d);
    }

    @Transactional
    public void delete(UUID id) {
        destinations.delete(find(id));
    }

    @Transactional
    public DestinationView get(UUID id) {
        return view(find(id));
    }

    @Transactional
    public List<DestinationView> list(String tenantId) {
        String tenant = tenant(tenantId);
        List<Destination> found = tenant == null
                ? destinations.listAll(io.quarkus.panache.common.Sort.by("tenantId").and("name"))
                : destinations.list("tenantId = ?1 order by name", tenant);
        return found.stream().map(DestinationService::view).toList();
    }

    /** Sends a test card or signed test payload now, synchronously; nothing is recorded. */
    public TestResult sendTest(UUID id, Duration timeout) {
        Destination d = io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() -> find(id));
        String url = secrets.decrypt(d.urlCiphertext, d.id.toString());
        String secret = d.secretCiphertext == null ? null : secrets.decrypt(d.secretCiphertext, d.id.toString());
        try {
            SendOutcome outcome = sender.post(url, messages.test(d.type, secret, d.name)).toCompletableFuture()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return new TestResult(outcome.delivered(), outcome.statusCode(), outcome.error());
        } catch (java.util.concurrent.TimeoutException e) {
            return new TestResult(false, null, "no answer within " + timeout.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new TestResult(false, null, "interrupted");
        } catch (java.util.concurrent.ExecutionException e) {
            return new TestResult(false, null, e.getCause().toString());
        }
    }

    private Destination find(UUID id) {
        Destination d = destinations.findById(id);
        if (d == null) {
            throw ProblemException.notFound("destination", id);
        }
        return d;
    }

    private void uniqueName(String tenantId, String name, UUID except) {
        long clashes = destinations.count("coalesce(tenantId, '') = ?1 and lower(name) = ?2 and id <> ?3",
                tenantId == null ? "" : tenantId, name.toLowerCase(Locale.ROOT),
                except == null ? new UUID(0, 0) : except);
        if (clashes > 0) {
            throw ProblemException.conflict("a destination named '" + name + "' already exists"
                    + (tenantId == null ? " among the MSP defaults" : " for tenant " + tenantId));
        }
    }

    private static String name(String name) {
        if (name == null || name.isBlank()) {
            throw ProblemException.invalid("name", "name is required");
        }
        if (name.length() > 200) {
            throw ProblemException.invalid("name", "name is longer than 200 characters");
        }
        return name.strip();
    }

    static String tenant(String tenantId) {
        return Check.optionalGuid("tenantId", tenantId);
    }

    private URI url(String url) {
        if (url != null && url.length() > 2048) {
            throw ProblemException.invalid("url", "url is longer than 2048 characters");
        }
        try {
            return policy.check(url);
        } catch (UrlPolicy.Refused refused) {
            throw ProblemException.invalid("url", "url " + refused.getMessage());
        }
    }

    private static String secret(DestinationType type, String secret) {
        if (secret == null) {
            return null;
        }
        if (type != DestinationType.WEBHOOK) {
            throw ProblemException.invalid("secret", "only WEBHOOK destinations take a signing secret");
        }
        if (secret.length() < 16 || secret.length() > 256) {
            throw ProblemException.invalid("secret", "secret must be 16 to 256 characters");
        }
        return secret;
    }

    private static List<AlertKind> kinds(List<AlertKind> kinds) {
        if (kinds == null) {
            return List.of();
        }
        for (int i = 0; i < kinds.size(); i++) {
            if (kinds.get(i) == null || kinds.get(i) == AlertKind.UNKNOWN) {
                throw ProblemException.invalid("kinds[" + i + "]", "kinds[" + i + "] is not a known alert kind");
            }
        }
        return kinds;
    }

    private static Severity severity(Severity severity) {
        if (severity == Severity.UNKNOWN) {
            throw ProblemException.invalid("minSeverity", "minSeverity must be one of INFO, LOW, MEDIUM, HIGH, CRITICAL");
        }
        return severity == null ? Severity.INFO : severity;
    }

    /** scheme://host[:port]/path — never the query (Teams Workflows URLs carry their signature there). */
    static String display(URI url) {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() > 0 ? ":" + url.getPort() : "")
                + (url.getRawPath() == null ? "" : url.getRawPath());
    }

    static DestinationView view(Destination d) {
        return new DestinationView(d.id, d.name, d.tenantId, d.type, d.urlDisplay,
                Routing.kinds(d.kinds).stream().sorted().toList(), d.minSeverity.name(), d.enabled,
                d.secretCiphertext != null, d.createdAt, d.createdBy, d.updatedAt, d.updatedBy);
    }
}
