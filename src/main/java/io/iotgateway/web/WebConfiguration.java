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

/**
 * The HTTP edge below Spring MVC: problems written where the exception handler cannot answer (one writer for
 * all of them) and Tomcat's own refusals as problems.
 */
@Configuration(proxyBeanMethods = false)
class WebConfiguration {

    @Bean
    ProblemResponseWriter problemResponseWriter(JsonMapper json) {
        return new ProblemResponseWriter(json);
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
