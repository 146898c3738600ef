package io.iotgateway.registry;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;

import io.iotgateway.web.GatewayException;
import io.iotgateway.web.ProblemType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.tuple;

class DeviceCsvTests {

    private static final String BOM = "\uFEFF";

    @Test
    void readsTheConsoleExportWithByteOrderMarkAndWindowsLineEnds() {
        String csv = BOM + "ProductKey,DeviceName,DeviceSecret\r\n"
                + "a1B2c3D4e5F,sensor-0001,6b1f0a3e9d2c4b5a8f7e6d5c4b3a2f1e\r\n"
                + "a1B2c3D4e5F,sensor-0002,0a1b2c3d4e5f60718293a4b5c6d7e8f9\r\n";

        List<ImportRow> rows = DeviceCsv.parse(csv.getBytes(StandardCharsets.UTF_8));

        assertThat(rows).containsExactly(
                new ImportRow(2, "a1B2c3D4e5F", "sensor-0001", "6b1f0a3e9d2c4b5a8f7e6d5c4b3a2f1e", null),
                new ImportRow(3, "a1B2c3D4e5F", "sensor-0002", "0a1b2c3d4e5f60718293a4b5c6d7e8f9", null));
    }

    @Test
    void columnsMayComeInAnyOrderAndCaseWithOtherColumnsIgnored() {
        String csv = "deviceSecret,Nickname,PRODUCTKEY,Device Name,Description\n"
                + "s3cret,Barn sheep,a1B2c3D4e5F,sheep-0001,barn 3\n";

        assertThat(DeviceCsv.parse(csv.getBytes(StandardCharsets.UTF_8)))
            .containsExactly(new ImportRow(2, "a1B2c3D4e5F", "sheep-0001", "s3cret", "barn 3"));
    }

    @Test
    void quotedFieldsKeepCommasQuotesAndLineBreaks() {
        String csv = "ProductKey,DeviceName,DeviceSecret,Description\n"
                + "\"a1B2c3D4e5F\",\"sheep-0001\",\"s3cret\",\"north wall, \"\"left\"\"\nsecond line\"\n"
                + "a1B2c3D4e5F,sheep-0002,s3cret2,\n";

        List<ImportRow> rows = DeviceCsv.parse(csv.getBytes(StandardCharsets.UTF_8));

        assertThat(rows).extracting(ImportRow::row, ImportRow::description)
            .containsExactly(tuple(2, "north wall, \"left\"\nsecond line"),
                    tuple(4, ""));
    }

    @Test
    void blankLinesAreSkippedAndLineNumbersStayTrue() {
        String csv = "ProductKey,DeviceName,DeviceSecret\n\na1B2c3D4e5F,sheep-0001,s1\n   \r\na1B2c3D4e5F,sheep-0002,s2";

        assertThat(DeviceCsv.parse(csv.getBytes(StandardCharsets.UTF_8))).extracting(ImportRow::row)
            .containsExactly(3, 5);
    }

    @Test
    void aLineWithTooFewOrTooManyFieldsIsAnUnreadableRowNotATruncatedSecret() {
        String csv = "ProductKey,DeviceName,DeviceSecret\n"
                + "a1B2c3D4e5F,sheep-0001\n"
                + "a1B2c3D4e5F,sheep-0002,part,of-the-secret\n"
                + "a1B2c3D4e5F,sheep-0003,\"unclosed\n";

        assertThat(DeviceCsv.parse(csv.getBytes(StandardCharsets.UTF_8)))
            .containsExactly(ImportRow.unreadable(2, "The line has 2 field(s); the header has 3"),
                    ImportRow.unreadable(3, "The line has 4 field(s); the header has 3"),
                    ImportRow.unreadable(4, "A quoted field is not closed"));
    }

    @Test
    void aFileWithoutTheHeaderIsRefusedWithoutRepeatingItsFirstLine() {
        String csv = "a1B2c3D4e5F,sheep-0001,the-first-secret\n";

        assertThatExceptionOfType(GatewayException.class)
            .isThrownBy(() -> DeviceCsv.parse(csv.getBytes(StandardCharsets.UTF_8)))
            .satisfies(ex -> {
                assertThat(ex.problemType()).isEqualTo(ProblemType.INVALID_IMPORT);
                assertThat(ex.getBody().getDetail()).contains("ProductKey,DeviceName,DeviceSecret")
                    .doesNotContain("the-first-secret");
            });
    }

    @Test
    void anythingButUtf8IsRefused() {
        byte[] gbk = "ProductKey,DeviceName,DeviceSecret\na1B2c3D4e5F,羊-0001,s1\n".getBytes(Charset.forName("GBK"));

        assertThatExceptionOfType(GatewayException.class).isThrownBy(() -> DeviceCsv.parse(gbk))
            .withMessageContaining("not UTF-8");
        assertThatExceptionOfType(GatewayException.class).isThrownBy(() -> DeviceCsv.parse(new byte[0]))
            .withMessageContaining("empty");
    }
}
