/**
 * The durable device registry behind the {@link io.iotgateway.credential.CredentialService}: the JDBC store
 * (Flyway, H2 file or PostgreSQL), secrets encrypted with AES-256-GCM under master keys and their rotation, the
 * read-only devices of {@code gateway.devices} layered over it, CSV and JSON import, and the admin API
 * ({@code /api/v1/admin/...}) that manages it.
 */
@NullMarked
package io.iotgateway.registry;

import org.jspecify.annotations.NullMarked;
