package io.iotgateway.bench.ablation;

import java.util.concurrent.atomic.LongAdder;

import io.iotgateway.credential.CredentialService;
import io.iotgateway.mqtt.DeviceConnectionPool;
import io.iotgateway.mqtt.DevicePublisher;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.observation.ObservationPredicate;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;

/**
 * Bench only (bench/README.md, docs/performance.md, issue 17): switches one stage of the gateway's request path off
 * with {@code --bench.ablate=<stage>}, from outside the gateway's code, so that the same jar measured with and
 * without the stage says what the stage costs. Never part of the gateway; the bench puts it on the class path with
 * {@code -Dloader.path}. Each stage counts what it skipped and logs the count when the gateway stops, so a variant
 * that did nothing shows in its log.
 */
@AutoConfiguration
public class AblationAutoConfiguration {

    static final Log log = LogFactory.getLog(AblationAutoConfiguration.class);

    static final String PROPERTY = "bench.ablate";

    /** No Spring Security filter chain: the first chain matches every request and has no filters. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = PROPERTY, havingValue = "security")
    static class Security {

        @Bean
        WebSecurityCustomizer benchIgnoreEveryRequest() {
            log.warn("bench.ablate=security: Spring Security ignores every request");
            // a matcher of every request that is not anyRequest(): Spring Security 7 refuses an ignored anyRequest()
            // in front of the gateway's own any-request chain (UnreachableFilterChainException)
            return web -> web.ignoring().requestMatchers(request -> true);
        }
    }

    /** No observation at all (so no HTTP server observation) and no request or publish timers. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = PROPERTY, havingValue = "observation")
    static class Observation {

        private final LongAdder refused = new LongAdder();

        @Bean
        ObservationPredicate benchRefuseEveryObservation() {
            log.warn("bench.ablate=observation: every observation refused, http.server.requests and gateway.publish "
                    + "meters denied");
            return (name, context) -> {
                this.refused.increment();
                return false;
            };
        }

        @Bean
        MeterFilter benchDenyRequestAndPublishMeters() {
            return MeterFilter.deny(id -> id.getName().startsWith("http.server.requests")
                    || id.getName().startsWith("gateway.publish"));
        }

        @EventListener
        void closed(ContextClosedEvent event) {
            log.warn("bench.ablate=observation: " + this.refused.sum() + " observations refused");
        }
    }

    /**
     * No per-request credential look-up: {@code exists} answers true without asking. A BeanPostProcessor rather than
     * a {@code @Primary} bean, because the gateway's registry credential service is {@code @Primary} already.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = PROPERTY, havingValue = "lookup")
    static class Lookup {

        static final LongAdder skipped = new LongAdder();

        @Bean
        static BeanPostProcessor benchSkipExistenceLookups() {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String name) {
                    if (!"registryCredentialService".equals(name) || !(bean instanceof CredentialService real)) {
                        return bean;
                    }
                    log.warn("bench.ablate=lookup: " + name + ".exists() answers true without a look-up");
                    return new NoLookupCredentials(real, skipped);
                }
            };
        }

        @EventListener
        void closed(ContextClosedEvent event) {
            log.warn("bench.ablate=lookup: " + skipped.sum() + " exists() calls answered without a look-up");
        }
    }

    /** A publisher that answers at once, without MQTT; status, statuses and close still go to the pool. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnProperty(name = PROPERTY, havingValue = "mqtt")
    static class Mqtt {

        private final LongAdder answered = new LongAdder();

        @Bean
        @Primary
        DevicePublisher benchPublisherWithoutMqtt(DeviceConnectionPool pool) {
            log.warn("bench.ablate=mqtt: publish answers at once without MQTT");
            return new NoMqttPublisher(pool, this.answered);
        }

        @EventListener
        void closed(ContextClosedEvent event) {
            log.warn("bench.ablate=mqtt: " + this.answered.sum() + " publishes answered without MQTT");
        }
    }
}
