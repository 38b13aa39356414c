package io.mfagov.notifier.service;

import io.mfagov.model.events.AlertKind;
import io.mfagov.notifier.repository.Mute;
import io.mfagov.notifier.repository.MuteRepository;
import io.mfagov.notifier.api.ApiRecords.MuteInput;
import io.mfagov.notifier.api.ApiRecords.MuteView;
import io.mfagov.support.problem.ProblemException;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Mutes (snoozes): alerts matching one are recorded as MUTED and not sent, until the mute ends. */
@ApplicationScoped
public class MuteService {

    /** Longer snoozes are refused: an alert muted for ever is a governance gap. */
    static final Duration MAX_MUTE = Duration.ofDays(366);

    private final MuteRepository mutes;

    public MuteService(MuteRepository mutes) {
        this.mutes = mutes;
    }

    @Transactional
    public MuteView create(MuteInput input, String actor) {
        if (input == null) {
            throw ProblemException.invalid("body", "a mute is required");
        }
        String tenantId = DestinationService.tenant(input.tenantId());
        String exclusionId = input.exclusionId() == null || input.exclusionId().isBlank() ? null : input.exclusionId().strip();
        if (exclusionId != null && exclusionId.length() > 512) {
            throw ProblemException.invalid("exclusionId", "exclusionId is longer than 512 characters");
        }
        if (input.kind() == AlertKind.UNKNOWN) {
            throw ProblemException.invalid("kind", "kind is not a known alert kind");
        }
        if (tenantId == null && exclusionId == null && input.kind() == null) {
            throw ProblemException.invalid("tenantId", "a mute needs at least one of tenantId, exclusionId, kind");
        }
        Instant now = Instant.now();
        if (input.until() == null) {
            throw ProblemException.invalid("until", "until is required (ISO-8601 instant)");
        }
        if (!input.until().isAfter(now)) {
            throw ProblemException.invalid("until", "until must be in the future");
        }
        if (input.until().isAfter(now.plus(MAX_MUTE))) {
            throw ProblemException.invalid("until", "until must be within " + MAX_MUTE.toDays() + " days");
        }
        if (input.reason() != null && input.reason().length() > 1000) {
            throw ProblemException.invalid("reason", "reason is longer than 1000 characters");
        }
        Mute m = new Mute();
        m.id = UUID.randomUUID();
        m.tenantId = tenantId;
        m.exclusionId = exclusionId;
        m.kind = input.kind();
        m.until = input.until();
        m.reason = input.reason();
        m.createdAt = now;
        m.createdBy = actor;
        mutes.persist(m);
        return view(m, now);
    }

    @Transactional
    public List<MuteView> list(boolean activeOnly) {
        Instant now = Instant.now();
        List<Mute> found = activeOnly ? mutes.list("until > ?1", Sort.ascending("until"), now)
                : mutes.listAll(Sort.descending("createdAt"));
        return found.stream().map(m -> view(m, now)).toList();
    }

    @Transactional
    public MuteView get(UUID id) {
        return view(find(id), Instant.now());
    }

    /** Ends a mute now: later alerts are sent again (deliveries already MUTED stay so). */
    @Transactional
    public void delete(UUID id) {
        mutes.delete(find(id));
    }

    private Mute find(UUID id) {
        Mute m = mutes.findById(id);
        if (m == null) {
            throw ProblemException.notFound("mute", id);
        }
        return m;
    }

    private static MuteView view(Mute m, Instant now) {
        return new MuteView(m.id, m.tenantId, m.exclusionId, m.kind == null ? null : m.kind.name(), m.until, m.reason, m.until.isAfter(now),
                m.createdAt, m.createdBy);
    }
}
