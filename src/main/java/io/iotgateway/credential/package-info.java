/**
 * The kernel: device triples, the {@link io.iotgateway.credential.CredentialService} that holds them, and the
 * signing of Alibaba Cloud IoT Platform logins, in plain Java. Depends on nothing else of the gateway, and on no
 * web, JDBC or MQTT library.
 */
@NullMarked
package io.iotgateway.credential;

import org.jspecify.annotations.NullMarked;
