package io.iotgateway.testsupport;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the annotated test class or method only where a {@link NetworkNamespace} can be made: as root, with
 * {@code ip} (iproute2), {@code nft} (nftables) and mosquitto installed, and a kernel and sandbox that let
 * {@code ip netns add} and nftables work; elsewhere it is skipped with the reason.
 */
@Target({ ElementType.TYPE, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(NetworkNamespacesCondition.class)
public @interface EnabledIfNetworkNamespaces {

}
