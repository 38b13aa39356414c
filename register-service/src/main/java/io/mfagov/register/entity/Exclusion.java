package io.mfagov.register.entity;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.Arrays;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/** One principal excluded from one policy through one path in one tenant: detected facts plus the reconciled status. */
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

    /** Every id an exception may name to cover this exclusion: the principal, what the policy names, each hop. */
    public Set<String> coverableIds() {
        Set<String> ids = Arrays.stream(viaPathIds.split(" ")).filter(s -> !s.isBlank()).collect(Collectors.toSet());
        ids.add(principalId);
        ids.add(viaId);
        return ids;
    }
}
