package io.iotgateway.security;

import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The loop must allow exactly what Spring Security's default header expressions allow. */
class HeaderCharactersTests {

    // StrictHttpFirewall's defaults (spring-security-web 7)
    private static final Pattern FIREWALL_NAMES = Pattern.compile("[\\p{IsAssigned}&&[^\\p{IsControl}]]*");

    private static final Pattern FIREWALL_VALUES = Pattern.compile("[\\p{IsAssigned}&&[[^\\p{IsControl}]||\\t]]*");

    @Test
    void everyCodePointIsJudgedAsTheFirewallsExpressionsJudgeIt() {
        int disagreements = 0;
        int refused = 0;
        int allowed = 0;
        for (int codePoint = 0; codePoint <= Character.MAX_CODE_POINT; codePoint++) {
            String text = "a" + Character.toString(codePoint) + "b";
            boolean name = FIREWALL_NAMES.matcher(text).matches();
            boolean value = FIREWALL_VALUES.matcher(text).matches();
            if (name != HeaderCharacters.isAllowedName(text) || value != HeaderCharacters.isAllowedValue(text)) {
                disagreements++;
            }
            if (value) {
                allowed++;
            }
            else {
                refused++;
            }
        }
        assertThat(disagreements).isZero();
        // the comparison means something only if both kinds of answer occurred
        assertThat(refused).isGreaterThan(100_000);
        assertThat(allowed).isGreaterThan(100_000);
    }

    @Test
    void surrogatesAloneOrPairedAreJudgedAsByTheExpressions() {
        for (String text : new String[] { "\uD83D\uDE00", "x\uD83D", "\uDE00x", "\uDE00\uD83D", "" }) {
            assertThat(HeaderCharacters.isAllowedName(text)).as(text)
                .isEqualTo(FIREWALL_NAMES.matcher(text).matches());
            assertThat(HeaderCharacters.isAllowedValue(text)).as(text)
                .isEqualTo(FIREWALL_VALUES.matcher(text).matches());
        }
    }

    @Test
    void tabIsAllowedInValuesOnly() {
        assertThat(HeaderCharacters.isAllowedValue("a\tb")).isTrue();
        assertThat(HeaderCharacters.isAllowedName("a\tb")).isFalse();
        assertThat(HeaderCharacters.isAllowedValue("a\u0085b")).isFalse();
        assertThat(HeaderCharacters.isAllowedValue("application/json; charset=utf-8")).isTrue();
    }
}
