package io.iotgateway.web;

import org.apache.catalina.Container;
import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.firewall.StrictHttpFirewall;

/**
 * The HTTP edge below Spring MVC: input hygiene (the firewall and its refusals) and problems written where the
 * exception handler cannot answer (one writer for all of them), Tomcat's own refusals included. The input filter
 * ({@link MediaTypeHeaderFilter}) is no bean: the security filter chain places it.
 */
@Configuration(proxyBeanMethods = false)
class WebConfiguration {

    @Bean
    ProblemResponseWriter problemResponseWriter(JsonMapper json) {
        return new ProblemResponseWriter(json);
    }

    /**
     * Spring Security's default firewall, with the same header rules checked without regular expressions
     * ({@link HeaderCharacters}); Spring Security takes the firewall bean for its filter chain.
     */
    @Bean
    StrictHttpFirewall httpFirewall() {
        StrictHttpFirewall firewall = new StrictHttpFirewall();
        firewall.setAllowedHeaderNames(HeaderCharacters::isAllowedName);
        firewall.setAllowedHeaderValues(HeaderCharacters::isAllowedValue);
        return firewall;
    }

    /**
     * Requests Spring Security's firewall refuses (encoded slashes, {@code ..}, control characters) get a 400
     * problem too; Spring Security takes the handler bean for its filter chain.
     */
    @Bean
    RequestRejectedHandler problemRequestRejectedHandler(ProblemResponseWriter problems) {
        return new ProblemRequestRejectedHandler(problems);
    }

    /** Replaces Tomcat's HTML error page for requests it refuses itself with a problem (see the valve). */
    @Bean
    @Order(Ordered.LOWEST_PRECEDENCE)
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorReports(ProblemResponseWriter problems) {
        return factory -> factory.addContextCustomizers(context -> {
            Container host = context.getParent();
            if (host instanceof StandardHost standardHost) {
                // the host adds a valve of this class at start unless it finds one: it finds ours
                standardHost.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
            }
            for (Valve valve : host.getPipeline().getValves()) {
                if (valve instanceof ErrorReportValve) {
                    host.getPipeline().removeValve(valve);
                }
            }
            host.getPipeline().addValve(new ProblemErrorReportValve(problems));
        });
    }
}
