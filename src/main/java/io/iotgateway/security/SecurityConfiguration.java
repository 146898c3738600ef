package io.iotgateway.security;

import com.github.benmanes.caffeine.cache.Ticker;
import io.iotgateway.mqtt.PlatformProperties;
import io.iotgateway.web.GatewayRoutes;
import io.iotgateway.web.MediaTypeHeaderFilter;
import io.iotgateway.web.ProblemResponseWriter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementServerProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.authentication.AuthenticationEntryPointFailureHandler;
import org.springframework.security.web.authentication.AuthenticationFilter;

/**
 * One stateless filter chain: API keys in, problems out. The rules are the same in every {@link AccessMode}; in
 * the open modes every request is simply authenticated as the all-products {@link ApiClient#OPEN_ACCESS} client.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    static final String[] PUBLIC_PATHS = { "/actuator/health", "/actuator/health/liveness",
            "/actuator/health/readiness", "/v3/api-docs", "/v3/api-docs/**", "/v3/api-docs.yaml", "/swagger-ui.html",
            "/swagger-ui/**", "/error" };

    // open modes: whatever the request carries, it acts as the all-products client
    private static final AuthenticationManager OPEN_ACCESS = presented -> ApiClient.OPEN_ACCESS.authentication();

    /**
     * Spring Security would observe every request, every filter of its chain, every authentication and every
     * authorization: 12 % of the gateway's CPU samples in the benchmark (docs/performance.md). The gateway's own
     * meters say what operators need: {@code http.server.requests}, {@code gateway.publish} and
     * {@code gateway.security.authentication.failures}.
     */
    @Bean
    SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    /** As an authentication provider bean it also keeps Boot from creating its default user and password. */
    @Bean
    ApiKeys apiKeys(GatewaySecurityProperties security) {
        return new ApiKeys(security.clients());
    }

    @Bean
    AccessMode accessMode(GatewaySecurityProperties security, PlatformProperties platform, Environment environment) {
        return AccessMode.decide(security, platform.endpoint(), environment.matchesProfiles("production"));
    }

    @Bean
    SandboxAddress sandboxAddress(AccessMode mode, ObjectProvider<ManagementServerProperties> management) {
        return new SandboxAddress(mode, management.getIfAvailable());
    }

    @Bean
    AuthenticationFailureLimit authenticationFailureLimit(GatewaySecurityProperties security) {
        return new AuthenticationFailureLimit(security.failureLimit(), Ticker.systemTicker());
    }

    @Bean
    SecurityMetrics securityMetrics(MeterRegistry registry) {
        return new SecurityMetrics(registry);
    }

    @Bean
    SecurityFilterChain gatewaySecurityFilterChain(HttpSecurity http, AccessMode mode,
            ApiKeys apiKeys, AuthenticationFailureLimit failureLimit,
            ProblemResponseWriter problems, SecurityMetrics metrics) throws Exception {
        ProblemAuthenticationEntryPoint entryPoint = new ProblemAuthenticationEntryPoint(problems, metrics);
        // an open mode has no keys to guess
        if (mode == AccessMode.API_KEYS && failureLimit.isOn()) {
            // before the authentication filter (same position, added first): a throttled key is never looked up
            http.addFilterBefore(new AuthenticationThrottleFilter(failureLimit, problems, metrics),
                    AnonymousAuthenticationFilter.class);
        }
        http.csrf(AbstractHttpConfigurer::disable)
            .httpBasic(AbstractHttpConfigurer::disable)
            .formLogin(AbstractHttpConfigurer::disable)
            .logout(AbstractHttpConfigurer::disable)
            .requestCache(AbstractHttpConfigurer::disable)
            .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
            .exceptionHandling(errors -> errors.authenticationEntryPoint(entryPoint)
                .accessDeniedHandler(new ProblemAccessDeniedHandler(problems, metrics)))
            .addFilterBefore(authenticationFilter(mode, apiKeys, entryPoint, failureLimit),
                    AnonymousAuthenticationFilter.class)
            // web's input filter, here so that its problems carry Spring Security's headers, also on a separate
            // management port
            .addFilterBefore(new MediaTypeHeaderFilter(problems), AnonymousAuthenticationFilter.class)
            .authorizeHttpRequests(SecurityConfiguration::authorizeByRoute);
        return http.build();
    }

    /** The rules of docs/security.md, route by route; the first that matches decides. */
    private static void authorizeByRoute(
            AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry requests) {
        // the publish rule first: it is the hot path, and no other rule matches a POST under /api/v1/devices/
        requests.requestMatchers(GatewayRoutes.PRODUCT_WRITES)
            .access(ProductScopeAuthorizationManager.publish())
            .requestMatchers(PUBLIC_PATHS)
            .permitAll()
            .requestMatchers(GatewayRoutes.ADMIN)
            .hasRole(ApiRole.ADMIN.name())
            .requestMatchers(GatewayRoutes.DEVICE_LIST)
            .hasAnyRole(ApiRole.PUBLISHER.name(), ApiRole.ADMIN.name())
            .requestMatchers(GatewayRoutes.DEVICE)
            .access(ProductScopeAuthorizationManager.read())
            .anyRequest()
            .authenticated();
    }

    private static AuthenticationFilter authenticationFilter(AccessMode mode, ApiKeys apiKeys,
            ProblemAuthenticationEntryPoint entryPoint, AuthenticationFailureLimit failureLimit) {
        AuthenticationFilter filter = (mode == AccessMode.API_KEYS)
                ? new AuthenticationFilter(new ProviderManager(apiKeys), new ApiKeyAuthenticationConverter())
                : new AuthenticationFilter(OPEN_ACCESS, request -> ApiKeyAuthenticationConverter.presented("open-access"));
        // an API call carries its key every time: no redirect, no session, just continue the chain
        filter.setSuccessHandler((request, response, authentication) -> {
        });
        AuthenticationEntryPointFailureHandler answer = new AuthenticationEntryPointFailureHandler(entryPoint);
        // every failure here is a presented key that matched no client (or was malformed): count it
        filter.setFailureHandler((request, response, failure) -> {
            if (failureLimit.isOn()) {
                failureLimit.failed(request.getRemoteAddr());
            }
            answer.onAuthenticationFailure(request, response, failure);
        });
        return filter;
    }
}
