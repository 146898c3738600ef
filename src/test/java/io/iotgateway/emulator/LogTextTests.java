package io.iotgateway.emulator;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LogTextTests {

    @Test
    void escapesWhatCouldBreakOrColourALogLine() {
        assertThat(LogText.escape("a\nb\rc\td\\e\u001b[31mf\u0000g\u0085h\u2028i")).isEqualTo(
                "a\\nb\\rc\\td\\\\e\\u001B[31mf\\u0000g\\u0085h\\u2028i");
        assertThat(LogText.escape("a61QmwQD5ZF.mosheep|securemode=3,signmethod=hmacsha1,timestamp=1|"))
            .isEqualTo("a61QmwQD5ZF.mosheep|securemode=3,signmethod=hmacsha1,timestamp=1|");
        assertThat(LogText.escape("é €")).isEqualTo("é €");
        assertThat(LogText.escape(null)).isEqualTo("null");
    }

    @Test
    void cutsLongTextAndSaysHowLongItWas() {
        assertThat(LogText.escape("x".repeat(70_000))).isEqualTo("x".repeat(LogText.MAX_LENGTH)
                + "...(70000 characters)");
    }
}
