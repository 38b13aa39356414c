package io.mfagov.register.entity;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import java.io.Serializable;
import java.util.Objects;
import java.util.UUID;

/** One enabled user a scan found uncovered (CoverageObserved.uncoveredUsers), with the reason. */
@Entity
@IdClass(UncoveredUserEntry.Key.class)
@Table(name = "uncovered_user")
public class UncoveredUserEntry {

    @Id
    public UUID scanId;
    @Id
    public String userId;
    public String userPrincipalName;
    public String displayName;
    public String userType;
    /** UncoveredReason name. */
    public String reason;
    public Boolean privileged;

    /** The primary key: (scan, user). */
    public static class Key implements Serializable {
        public UUID scanId;
        public String userId;

        public Key() {
        }

        public Key(UUID scanId, String userId) {
            this.scanId = scanId;
            this.userId = userId;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(scanId, k.scanId) && Objects.equals(userId, k.userId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(scanId, userId);
        }
    }
}
