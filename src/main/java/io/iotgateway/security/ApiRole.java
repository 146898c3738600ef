package io.iotgateway.security;

import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * What an API client may do: {@code publisher} publishes and reads devices of its products, {@code admin} manages
 * the device registry and sees everything operators see (all devices, actuator details).
 */
public enum ApiRole {

    PUBLISHER, ADMIN;

    /** Spring Security's name for the role, {@code ROLE_PUBLISHER} or {@code ROLE_ADMIN}. */
    SimpleGrantedAuthority authority() {
        return new SimpleGrantedAuthority("ROLE_" + name());
    }
}
