package io.iotgateway.security;

import java.util.List;
import java.util.Set;

import io.iotgateway.testsupport.TestDevices;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.CredentialsContainer;
import org.springframework.security.core.GrantedAuthority;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class ApiKeyAuthenticationTests {

    private static final String KEY = "k3y-of-the-erp-system-0123456789abcdef";

    private final ApiKeys keys = new ApiKeys(List.of(client("erp", KEY, ApiRole.PUBLISHER, "a61QmwQD5ZF"),
            client("ops", "another-key-for-the-operators-42", ApiRole.ADMIN)));

    private final ApiKeyAuthenticationConverter converter = new ApiKeyAuthenticationConverter();

    @Test
    void keyFromEitherHeaderAuthenticatesItsClientWithRoles() {
        for (MockHttpServletRequest request : List.of(request("X-API-Key", KEY),
                request("Authorization", "Bearer " + KEY), request("Authorization", "bearer  " + KEY + " "))) {
            Authentication authenticated = this.keys.authenticate(this.converter.convert(request));

            assertThat(authenticated.isAuthenticated()).isTrue();
            assertThat(authenticated.getName()).isEqualTo("erp");
            assertThat(authenticated.getAuthorities()).extracting(GrantedAuthority::getAuthority)
                .containsExactly("ROLE_PUBLISHER");
            assertThat(authenticated.getCredentials()).isNull();
        }
    }

    @Test
    void noKeyIsNoAuthenticationAndOtherSchemesAreIgnored() {
        assertThat(this.converter.convert(new MockHttpServletRequest())).isNull();
        assertThat(this.converter.convert(request("Authorization", "Basic ZXJwOnNlY3JldA=="))).isNull();
    }

    @Test
    void unknownEmptyOverlongOrConflictingKeysAreBadCredentials() {
        assertThatExceptionOfType(BadCredentialsException.class)
            .isThrownBy(() -> this.keys.authenticate(this.converter.convert(request("X-API-Key", KEY + "x"))));
        assertThatExceptionOfType(BadCredentialsException.class)
            .isThrownBy(() -> this.converter.convert(request("X-API-Key", " ")));
        assertThatExceptionOfType(BadCredentialsException.class)
            .isThrownBy(() -> this.converter.convert(request("X-API-Key", "k".repeat(513))));
        MockHttpServletRequest both = request("X-API-Key", KEY);
        both.addHeader("Authorization", "Bearer another-key-for-the-operators-42");
        assertThatExceptionOfType(BadCredentialsException.class).isThrownBy(() -> this.converter.convert(both));
    }

    @Test
    void thePresentedKeyNeverShowsInToStringAndIsErased() {
        Authentication presented = this.converter.convert(request("X-API-Key", KEY));

        assertThat(presented.toString()).doesNotContain(KEY);
        ((CredentialsContainer) presented).eraseCredentials();
        assertThat(presented.getCredentials()).isNull();
        assertThat(client("erp", KEY, ApiRole.PUBLISHER).toString()).doesNotContain(TestDevices.apiKeySha256(KEY));
    }

    @Test
    void namesAndKeysMustBeUnique() {
        assertThatIllegalStateException()
            .isThrownBy(() -> new ApiKeys(List.of(client("erp", KEY, ApiRole.PUBLISHER),
                    client("erp", "a-different-key-0123456789", ApiRole.PUBLISHER))))
            .withMessageContaining("erp");
        assertThatIllegalStateException()
            .isThrownBy(() -> new ApiKeys(List.of(client("erp", KEY, ApiRole.PUBLISHER),
                    client("crm", KEY, ApiRole.ADMIN))))
            .withMessageContaining("same key")
            .withMessageNotContaining(KEY);
    }

    @Test
    void scopesFollowRolesAndProducts() {
        ApiClient publisher = new ApiClient("erp", Set.of(ApiRole.PUBLISHER), Set.of("a61QmwQD5ZF"));
        ApiClient fleet = new ApiClient("fleet", Set.of(ApiRole.PUBLISHER), Set.of("*"));
        ApiClient admin = new ApiClient("ops", Set.of(ApiRole.ADMIN), Set.of("*"));

        assertThat(publisher.mayPublishFor("a61QmwQD5ZF")).isTrue();
        assertThat(publisher.mayPublishFor("b72RnxRE6AG")).isFalse();
        assertThat(fleet.mayPublishFor("b72RnxRE6AG")).isTrue();
        assertThat(admin.mayPublishFor("a61QmwQD5ZF")).as("admins manage, they do not publish").isFalse();
        assertThat(admin.maySee("b72RnxRE6AG")).isTrue();
        assertThat(publisher.maySee("b72RnxRE6AG")).isFalse();
    }

    private static GatewaySecurityProperties.Client client(String name, String key, ApiRole role, String... products) {
        return new GatewaySecurityProperties.Client(name, TestDevices.apiKeySha256(key), Set.of(role), Set.of(products));
    }

    private static MockHttpServletRequest request(String header, String value) {
        MockHttpServletRequest request = new MockHttpServletRequest();
        request.addHeader(header, value);
        return request;
    }
}
