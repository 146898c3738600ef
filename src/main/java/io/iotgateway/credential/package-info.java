/**
 * Device triples and Alibaba Cloud IoT Platform connection signing, in plain Java; and the durable device registry
 * (JDBC, Flyway, AES-256-GCM encrypted secrets) behind the {@link io.iotgateway.credential.CredentialService}.
 */
@NullMarked
package io.iotgateway.credential;

import org.jspecify.annotations.NullMarked;
