package io.iotgateway;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a {@link StartupRefusedException}, wherever in the start-up it was thrown, into Boot's failure report; Boot
 * then logs no stack trace (registered in {@code META-INF/spring.factories}).
 */
class StartupRefusalFailureAnalyzer extends AbstractFailureAnalyzer<StartupRefusedException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, StartupRefusedException cause) {
        return new FailureAnalysis(cause.getMessage(), cause.action(), cause);
    }
}
