package io.mfagov.devstack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

/** The tenants run-local.sh hands to LocalRunClient ({@code --tenants-file}, {@code --tenants}), read as it reads them. */
class LocalRunClientTenantsTest {

    private static final String CONTOSO = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
    private static final String FABRIKAM = "ffffffff-0000-1111-2222-333333333333";

    private static Map<String, String> tenants(String... tenantArgs) {
        LocalRunClient client = new LocalRunClient();
        String[] args = new String[6 + tenantArgs.length];
        System.arraycopy(new String[] {"--register", "http://127.0.0.1:1", "--notifier", "http://127.0.0.1:2",
                "--sink", "http://127.0.0.1:3"}, 0, args, 0, 6);
        System.arraycopy(tenantArgs, 0, args, 6, tenantArgs.length);
        client.parse(args, "an-admin-key-for-the-test");
        return client.tenants();
    }

    @Test
    void aTenantsFileWrittenByPowerShellExportCsvIsReadWithItsDisplayNames(@TempDir Path dir) throws IOException {
        // Export-Csv -NoTypeInformation -Encoding UTF8: BOM, every header and value double-quoted, CRLF
        Path file = Files.write(dir.resolve("tenants.csv"), ("\uFEFF\"TenantId\",\"DisplayName\"\r\n"
                + "\"" + CONTOSO.toUpperCase() + "\",\"Zoë Müller Zahnarztpraxis\"\r\n"
                + "\"" + FABRIKAM + "\",\"Fabrikam, Inc.\"\r\n").getBytes(StandardCharsets.UTF_8));

        assertThat(tenants("--tenants-file", file.toString()))
                .containsExactly(entry(CONTOSO, "Zoë Müller Zahnarztpraxis"), entry(FABRIKAM, "Fabrikam, Inc."));
    }

    @Test
    void windowsPowerShellsTypeLineAndAPlainListAreReadToo(@TempDir Path dir) throws IOException {
        Path typed = Files.writeString(dir.resolve("typed.csv"), "#TYPE System.Management.Automation.PSCustomObject\r\n"
                + "\"TenantId\",\"DisplayName\"\r\n\"" + CONTOSO + "\",\"Contoso\"\r\n");
        assertThat(tenants("--tenants-file", typed.toString())).containsExactly(entry(CONTOSO, "Contoso"));
        Path plain = Files.writeString(dir.resolve("plain.txt"), "# ours\n" + CONTOSO + "\n\n" + FABRIKAM + ",Fabrikam\n");
        assertThat(tenants("--tenants-file", plain.toString()))
                .containsExactly(entry(CONTOSO, ""), entry(FABRIKAM, "Fabrikam"));
    }

    @Test
    void theSimulatorsTenantsJsonAndAnInlineListAreStillRead(@TempDir Path dir) throws IOException {
        Path json = Files.writeString(dir.resolve("graph-simulator-tenants.json"),
                "{\"tenants\":[{\"tenantId\":\"" + CONTOSO + "\",\"displayName\":\"Contoso Dental\"}]}");
        assertThat(tenants("--tenants-file", json.toString())).containsExactly(entry(CONTOSO, "Contoso Dental"));
        assertThat(tenants("--tenants", CONTOSO + "=Contoso Dental," + FABRIKAM))
                .containsExactly(entry(CONTOSO, "Contoso Dental"), entry(FABRIKAM, ""));
    }

    @Test
    void checkingTenantsNeedsNoServiceUrlsNorKey(@TempDir Path dir) throws IOException {
        Path file = Files.write(dir.resolve("tenants.csv"), ("\uFEFF\"TenantId\",\"DisplayName\"\r\n\"" + CONTOSO
                + "\",\"Contoso\"\r\n").getBytes(StandardCharsets.UTF_8));
        LocalRunClient client = new LocalRunClient();
        client.parse(new String[] {"--check-tenants", "--tenants-file", file.toString()}, null);
        assertThat(client.tenants()).containsExactly(entry(CONTOSO, "Contoso"));
        assertThatThrownBy(() -> new LocalRunClient().parse(new String[] {"--check-tenants"}, null))
                .hasMessage("no tenants: give --tenants-file or --tenants");
    }

    @Test
    void aBadTenantsFileIsAUsageErrorNamingTheLine(@TempDir Path dir) throws IOException {
        Path bad = Files.writeString(dir.resolve("bad.csv"), "TenantId,DisplayName\r\n" + CONTOSO + ",ok\r\ncontoso.com,x\r\n");
        assertThatThrownBy(() -> tenants("--tenants-file", bad.toString())).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(bad + " line 3: not a tenant id (GUID): 'contoso.com'");
        assertThatThrownBy(() -> tenants("--tenants", "contoso.com")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("MFAGOV_TENANTS: not a tenant id (GUID): 'contoso.com'");
    }
}
