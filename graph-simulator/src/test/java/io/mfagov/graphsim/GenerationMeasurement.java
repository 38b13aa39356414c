package io.mfagov.graphsim;

import io.mfagov.graphsim.gen.TenantGenerator;
import io.mfagov.graphsim.model.Tenant;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Not a timed test: measures generating and holding 5,000 tenants (run with -Dbench). */
@Tag("benchmark")
class GenerationMeasurement {

    @Test
    void generateFiveThousandTenants() {
        System.gc();
        long before = used();
        long t0 = System.nanoTime();
        List<Tenant> tenants = TenantGenerator.generate(1, 5000);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        long heap = used() - before;
        long users = tenants.stream().mapToLong(t -> t.users().size()).sum();
        long policies = tenants.stream().mapToLong(t -> t.policyEntries().size()).sum();
        System.out.printf("GENERATION 5000 tenants: %d ms, retained heap %d MB, %d users, %d CA policies, max heap %d MB%n",
                ms, heap / (1024 * 1024), users, policies, Runtime.getRuntime().maxMemory() / (1024 * 1024));
        assertThat(tenants).hasSize(5000);
    }

    private static long used() {
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }
}
