package io.mfagov.scanner.service;

import io.mfagov.model.events.ScanStatus;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Pure logic: when a scan is COMPLETE or PARTIAL, what its error says, and when a 404 group counts as deleted. */
class ScanStatusTest {

    @Test
    void aScanWithoutFailedReadsOrProblemsIsComplete() {
        assertThat(TenantScanner.status(List.of(), List.of())).isEqualTo(ScanStatus.COMPLETE);
        assertThat(TenantScanner.error(ScanStatus.COMPLETE, List.of())).isNull();
    }

    @Test
    void oneFailedReadMakesTheScanPartial() {
        assertThat(TenantScanner.status(List.of("transitiveMembers:g1"), List.of("transitiveMembers:g1: 503")))
                .isEqualTo(ScanStatus.PARTIAL);
        assertThat(TenantScanner.status(List.of("namedLocations"), List.of())).isEqualTo(ScanStatus.PARTIAL);
    }

    @Test
    void aMalformedPolicyWithoutAFailedReadMakesTheScanPartial() {
        assertThat(TenantScanner.status(List.of(), List.of("policy p1: missing or unknown state")))
                .isEqualTo(ScanStatus.PARTIAL);
    }

    @Test
    void aPartialScansErrorNamesEveryProblemAndIsCappedAt2000Characters() {
        assertThat(TenantScanner.error(ScanStatus.PARTIAL, List.of("a failed", "b failed"))).isEqualTo("a failed; b failed");
        String error = TenantScanner.error(ScanStatus.PARTIAL, List.of("x".repeat(1500), "y".repeat(1500)));
        assertThat(error).hasSize(2001).startsWith("x").endsWith("…");
        assertThat(TenantScanner.error(ScanStatus.PARTIAL, List.of("z".repeat(2000)))).hasSize(2000);
    }

    @Test
    void aGroupAnswering404IsDeletedOnlyWhenNoReadOfTheScanSawIt() {
        assertThat(TenantScanner.isDeletedGroup("Gone-Group", true, Set.of("u1", "other-group"))).isTrue();
    }

    @Test
    void aGroupAnswering404ThatTheScanSawIsAFailedReadNotADeletion() {
        assertThat(TenantScanner.isDeletedGroup("Lagging-Group", true, Set.of("lagging-group"))).isFalse();
    }

    @Test
    void aGroupAnswering404IsNeverCalledDeletedWhenGetByIdsFailed() {
        assertThat(TenantScanner.isDeletedGroup("gone-group", false, Set.of())).isFalse();
    }
}
