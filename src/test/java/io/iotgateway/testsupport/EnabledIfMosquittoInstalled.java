package io.iotgateway.testsupport;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the annotated test class or method only where {@code mosquitto} and {@code mosquitto_passwd} are installed
 * (Debian package {@code mosquitto}); elsewhere it is skipped with a reason, as
 * {@code @Testcontainers(disabledWithoutDocker = true)} does for Docker. A class with a
 * {@link MosquittoBrokerExtension} needs no more: the extension carries the same condition.
 */
@Target({ ElementType.TYPE, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(MosquittoInstalledCondition.class)
public @interface EnabledIfMosquittoInstalled {

}
