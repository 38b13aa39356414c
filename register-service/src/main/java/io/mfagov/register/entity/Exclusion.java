package io.mfagov.register.entity;

import com.fasterxml.jackson.core.type.TypeReference;
import io.mfagov.model.EventCodec;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * One way past one MFA policy in one tenant — a principal excluded through one path, or a hole of the policy itself
 * (via kind CONDITION): detected facts plus the reconciled status.
 */
@Entity
@Table(name = "exclusion")
public class Exclusion {

    @Id
    public UUID id;
    public String tenantId;
    public String exclusionKey;
    public String policyId;
    public String policyName;
    public String policyState;
    public String mfaRequirement;
    /** For mfaRequirement CUSTOM_CONTROL: the custom control's name or id. */
    public String policyCustomControl;
    public String principalType;
    public String principalId;
    public String principalUpn;
    public String principalDisplayName;
    public String principalUserType;
    public Boolean accountEnabled;
    public boolean resolved;
    public String viaKind;
    public String viaId;
    public String viaDisplayName;
    public String viaPathIds;
    public String viaPath;
    public Instant firstSeenAt;
    public Instant appearedAt;
    public Instant lastSeenAt;
    public UUID lastScanId;
    public Instant removedAt;
    public UUID removedByScanId;
    public String status;
    public UUID exceptionId;
    public String category;
    public Instant expiresAt;
    /** False: the policy's include side does not target the principal, the exclusion opens nothing. Null: unknown. */
    public Boolean inScope;
    @Column(columnDefinition = "text")
    public String policyTarget;
    /** Reached through a PIM-eligible (not active) role assignment or group membership. */
    public Boolean eligible;
    /** Another enabled MFA policy for all cloud apps, with no hole, still requires MFA of the principal. */
    public Boolean shadowed;
    /** An enabled policy that closes this hole for the users it covers (null: none). */
    public String closedById;
    public String closedByName;
    /** Facts about a hole, a JSON object of strings ({@code {}} when none). */
    @Column(columnDefinition = "text")
    public String details;
    /** What a reader must know, a JSON array of strings ({@code []} when none). */
    @Column(columnDefinition = "text")
    public String flags;

    /** {@link #details} read back (empty when none or unreadable). */
    public Map<String, String> detailsMap() {
        return detailsOf(details);
    }

    /** {@link #flags} read back (empty when none or unreadable). */
    public List<String> flagList() {
        return flagsOf(flags);
    }

    /** A {@code details} column's JSON object read back (empty when none or unreadable). */
    public static Map<String, String> detailsOf(String json) {
        if (json == null || json.isBlank()) {
            return Map.of();
        }
        try {
            return EventCodec.get().mapper().readValue(json, new TypeReference<LinkedHashMap<String, String>>() { });
        } catch (IOException e) {
            return Map.of();
        }
    }

    /** A {@code flags} column read back (empty when none or unreadable). */
    public static List<String> flagsOf(String json) {
        return JsonColumns.strings(json);
    }

    /** Every id an exception may name to cover this exclusion: the principal, what the policy names, each hop. */
    public Set<String> coverableIds() {
        Set<String> ids = Arrays.stream(viaPathIds.split(" ")).filter(s -> !s.isBlank()).collect(Collectors.toSet());
        ids.add(principalId);
        ids.add(viaId);
        return ids;
    }
}
