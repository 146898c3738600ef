/**
 * Who may call the gateway: API keys (Spring Security), roles, product scopes, and the start-up rule that keeps a
 * gateway holding real device secrets from running open by accident.
 */
@NullMarked
package io.iotgateway.security;

import org.jspecify.annotations.NullMarked;
