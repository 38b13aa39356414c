package io.mfagov.support.csv;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TenantsFileTest {

    private static final String A = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
    private static final String B = "ffffffff-0000-1111-2222-333333333333";
    private static final String C = "6f1b2c3d-4e5f-4a6b-8c7d-000000000001";

    /** Exactly what {@code Export-Csv -NoTypeInformation -Encoding UTF8} writes: BOM, every field quoted, CRLF. */
    static byte[] powerShellExportCsv() {
        String text = "\uFEFF\"TenantId\",\"DisplayName\",\"DefaultDomain\"\r\n"
                + "\"" + A.toUpperCase() + "\",\"Zoë Müller GmbH\",\"zoe.onmicrosoft.com\"\r\n"
                + "\"" + B + "\",\"Fabrikam, \"\"Logistics\"\"\",\"fabrikam.onmicrosoft.com\"\r\n";
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aFileWrittenByPowerShellExportCsvIsReadWithItsNames(@TempDir Path dir) throws IOException {
        Path file = Files.write(dir.resolve("tenants.csv"), powerShellExportCsv());

        TenantsFile tenants = TenantsFile.read(file);

        assertThat(tenants.tenants()).containsExactly(new TenantsFile.Tenant(A, "Zoë Müller GmbH", 2),
                new TenantsFile.Tenant(B, "Fabrikam, \"Logistics\"", 3));
        assertThat(tenants.duplicates()).isEmpty();
    }

    @Test
    void windowsPowerShellsTypeLineIsSkipped() {
        TenantsFile tenants = TenantsFile.parse("#TYPE System.Management.Automation.PSCustomObject\r\n"
                + "\"DisplayName\",\"TenantId\"\r\n\"Contoso\",\"" + A + "\"\r\n", "t.csv");
        assertThat(tenants.tenants()).containsExactly(new TenantsFile.Tenant(A, "Contoso", 3));
    }

    @Test
    void headersAreMatchedInAnyCaseAndTenantNameIsADisplayName() {
        assertThat(TenantsFile.parse("tenantid,TENANTNAME\n" + A + ",Contoso\n", "t.csv").tenants())
                .containsExactly(new TenantsFile.Tenant(A, "Contoso", 2));
        assertThat(TenantsFile.parse("Notes,TenantId\nsomething," + A + "\n", "t.csv").tenants())
                .containsExactly(new TenantsFile.Tenant(A, "", 2));
    }

    @Test
    void aFileWithoutHeaderIsOneIdPerLineWithAnOptionalNameAndCommentsAndBlankLinesAreSkipped() {
        TenantsFile tenants = TenantsFile.parse("# customers\n\n" + A + "\n  \n" + B + ",Fabrikam\r\n# end\n" + C,
                "t.txt");
        assertThat(tenants.tenants()).extracting(TenantsFile.Tenant::tenantId).containsExactly(A, B, C);
        assertThat(tenants.tenants()).extracting(TenantsFile.Tenant::displayName).containsExactly("", "Fabrikam", "");
    }

    @Test
    void aRepeatedIdIsKeptOnceAndReportedWithBothLines() {
        TenantsFile tenants = TenantsFile.parse("TenantId,DisplayName\n" + A + ",One\n" + B + ",Two\n"
                + A.toUpperCase() + ",Again\n", "t.csv");
        assertThat(tenants.tenants()).extracting(TenantsFile.Tenant::displayName).containsExactly("One", "Two");
        assertThat(tenants.duplicates()).containsExactly(new TenantsFile.Duplicate(A, 2, 4));
    }

    @Test
    void aNonGuidIdFailsNamingTheFileAndTheLine() {
        assertThatThrownBy(() -> TenantsFile.parse("TenantId,DisplayName\n" + A + ",ok\ncontoso.onmicrosoft.com,bad\n",
                "tenants.csv")).isInstanceOf(TenantsFile.TenantsFileException.class)
                .hasMessage("tenants.csv line 3: not a tenant id (GUID): 'contoso.onmicrosoft.com'");
    }

    @Test
    void aMalformedLineFailsNamingTheLine() {
        assertThatThrownBy(() -> TenantsFile.parse("TenantId\n" + A + "\n\"" + B + "\"x\n", "t.csv"))
                .hasMessage("t.csv line 3: text after a closing quote");
        assertThatThrownBy(() -> TenantsFile.parse("TenantId,DisplayName\n\"" + A + ",unclosed\n", "t.csv"))
                .hasMessage("t.csv line 2: a quoted field is not closed");
        assertThatThrownBy(() -> TenantsFile.parse("DisplayName,Domain\nContoso,contoso.com\n", "t.csv"))
                .hasMessageStartingWith("t.csv line 1: expected a header with a TenantId column");
        assertThatThrownBy(() -> TenantsFile.parse("DisplayName,TenantId\nContoso\n", "t.csv"))
                .hasMessageStartingWith("t.csv line 2: no TenantId value");
    }

    @Test
    void aQuotedNameMaySpanLinesAndLaterLineNumbersStayRight() {
        assertThatThrownBy(() -> TenantsFile.parse("TenantId,DisplayName\n" + A + ",\"two\r\nlines\"\nnope,x\n", "t.csv"))
                .hasMessage("t.csv line 4: not a tenant id (GUID): 'nope'");
    }

    @Test
    void aListOfIdsWithOptionalNamesIsReadLikeAFile() {
        TenantsFile tenants = TenantsFile.ofList(java.util.List.of(A.toUpperCase() + "=Zoë Müller", " ", B, A), "--tenants");
        assertThat(tenants.tenants()).containsExactly(new TenantsFile.Tenant(A, "Zoë Müller", 1),
                new TenantsFile.Tenant(B, "", 3));
        assertThat(tenants.duplicates()).containsExactly(new TenantsFile.Duplicate(A, 1, 4));
        assertThatThrownBy(() -> TenantsFile.ofList(java.util.List.of("contoso.com=Contoso"), "--tenants"))
                .hasMessage("--tenants: not a tenant id (GUID): 'contoso.com'");
    }

    @Test
    void aMissingFileFailsNamingIt(@TempDir Path dir) {
        assertThatThrownBy(() -> TenantsFile.read(dir.resolve("none.csv")))
                .isInstanceOf(TenantsFile.TenantsFileException.class).hasMessageContaining("none.csv: cannot read");
    }
}
