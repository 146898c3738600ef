package io.iotgateway.web;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.servlet.http.HttpServletRequest;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.StrictHttpFirewall;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway's firewall bean (header rules as a loop, {@link HeaderCharacters}) must refuse exactly the header
 * names and values that Spring Security's own {@link StrictHttpFirewall}, with its defaults, refuses: each is asked
 * about the same requests, and the answers compared.
 */
class HeaderCharactersTests {

    private final FirewallVerdicts gateway = new FirewallVerdicts(new WebConfiguration().httpFirewall());

    private final FirewallVerdicts springSecurity = new FirewallVerdicts(new StrictHttpFirewall());

    @Test
    void everyCodePointIsJudgedAsSpringSecuritysFirewallJudgesIt() throws Exception {
        Sweep sweep;
        // on a thread of its own, for a shallow stack: each refusal is an exception, and there are millions
        try (ExecutorService shallow = Executors.newSingleThreadExecutor()) {
            sweep = shallow.submit(this::sweepEveryCodePoint).get();
        }

        assertThat(sweep.disagreements()).isEmpty();
        // the comparison means something only if both kinds of answer occurred
        assertThat(sweep.refused()).isGreaterThan(100_000);
        assertThat(sweep.allowed()).isGreaterThan(100_000);
    }

    private Sweep sweepEveryCodePoint() {
        List<String> disagreements = new ArrayList<>();
        int refused = 0;
        for (int codePoint = 0; codePoint <= Character.MAX_CODE_POINT; codePoint++) {
            String text = "a" + Character.toString(codePoint) + "b";
            boolean name = this.springSecurity.allowsName(text);
            boolean value = this.springSecurity.allowsValue(text);
            if (name != this.gateway.allowsName(text) || value != this.gateway.allowsValue(text)) {
                disagreements.add(String.format("U+%04X", codePoint));
            }
            refused += value ? 0 : 1;
        }
        return new Sweep(disagreements, refused, Character.MAX_CODE_POINT + 1 - refused);
    }

    private record Sweep(List<String> disagreements, int refused, int allowed) {
    }

    @Test
    void surrogatesAloneOrPairedAreJudgedAsSpringSecurityJudgesThem() {
        for (String text : new String[] { "\uD83D\uDE00", "x\uD83D", "\uDE00x", "\uDE00\uD83D", "" }) {
            assertThat(this.gateway.allowsName(text)).as(text).isEqualTo(this.springSecurity.allowsName(text));
            assertThat(this.gateway.allowsValue(text)).as(text).isEqualTo(this.springSecurity.allowsValue(text));
        }
    }

    @Test
    void tabIsAllowedInValuesOnly() {
        assertThat(this.gateway.allowsValue("a\tb")).isTrue();
        assertThat(this.gateway.allowsName("a\tb")).isFalse();
        assertThat(this.gateway.allowsValue("a\u0085b")).isFalse();
        assertThat(this.gateway.allowsValue("application/json; charset=utf-8")).isTrue();
    }

    /** Asks a firewall about header names and values the way the application reads them: through its request. */
    private static final class FirewallVerdicts {

        private static final String HEADER = "X-Probe";

        private final MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/v1/devices");

        private final HttpServletRequest firewalled;

        FirewallVerdicts(StrictHttpFirewall firewall) {
            this.firewalled = firewall.getFirewalledRequest(this.request);
        }

        boolean allowsName(String name) {
            return allows(name);
        }

        boolean allowsValue(String value) {
            this.request.removeHeader(HEADER);
            this.request.addHeader(HEADER, value);
            return allows(HEADER);
        }

        private boolean allows(String name) {
            try {
                this.firewalled.getHeader(name);
                return true;
            }
            catch (RequestRejectedException ex) {
                return false;
            }
        }
    }
}
